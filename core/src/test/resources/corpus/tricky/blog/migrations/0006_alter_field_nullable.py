# expect: DBG224
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("blog", "0005_runsql_params")]

    operations = [
        migrations.AlterField(
            model_name="post",
            name="views",
            field=models.IntegerField(null=True, blank=True),
        ),
    ]
