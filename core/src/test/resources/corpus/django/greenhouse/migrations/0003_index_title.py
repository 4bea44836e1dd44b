# expect: DBG201
# title is label renamed in 0002 (CharField(40), no index): db_index=True builds an index.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("greenhouse", "0002_rename_label")]

    operations = [
        migrations.AlterField(
            model_name="bench",
            name="title",
            field=models.CharField(max_length=40, db_index=True, verbose_name="title"),
        ),
    ]
