# expect: DBG224, DBG204
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0014_ignore_migration")]

    operations = [
        migrations.AlterField(
            model_name="product",
            name="name",
            field=models.CharField(max_length=300),
        ),
        migrations.AddConstraint(
            model_name="product",
            constraint=models.CheckConstraint(check=models.Q(price__gte=0), name="price_gte_0"),
        ),
    ]
