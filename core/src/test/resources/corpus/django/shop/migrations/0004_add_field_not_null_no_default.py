# expect: DBG109
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0003_rename_field")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="weight_grams",
            field=models.IntegerField(),
        ),
    ]
