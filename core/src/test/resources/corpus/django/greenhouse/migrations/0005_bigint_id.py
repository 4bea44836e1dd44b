# expect: DBG209
# AutoField -> BigAutoField: integer -> bigint keeps every value and rewrites the table.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("greenhouse", "0004_sensor_required")]

    operations = [
        migrations.AlterField(
            model_name="bench",
            name="id",
            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False),
        ),
    ]
