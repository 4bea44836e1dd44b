# expect: DBG208
# sensor_code was declared null=True in 0001: forbidding NULL scans the table.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("greenhouse", "0003_index_title")]

    operations = [
        migrations.AlterField(
            model_name="bench",
            name="sensor_code",
            field=models.CharField(max_length=20, default="unknown"),
        ),
    ]
