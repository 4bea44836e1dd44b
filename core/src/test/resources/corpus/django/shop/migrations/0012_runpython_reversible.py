# expect: none
from django.db import migrations


def forwards(apps, schema_editor):
    Product = apps.get_model("shop", "Product")
    for product in Product.objects.filter(slug=""):
        product.slug = product.name.lower().replace(" ", "-")
        product.save(update_fields=["slug"])
    Product.objects.filter(price__lt=0).update(price=0)


class Migration(migrations.Migration):
    dependencies = [("shop", "0011_runpython_delete_all")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
