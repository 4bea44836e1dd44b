# expect: none
from django.db import migrations, models
from django.db.models.functions import Now


class Migration(migrations.Migration):
    dependencies = [("shop", "0005_add_boolean_default")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="created_at",
            field=models.DateTimeField(db_default=Now()),
        ),
        migrations.AddField(
            model_name="product",
            name="notes",
            field=models.TextField(null=True, blank=True),
        ),
    ]
