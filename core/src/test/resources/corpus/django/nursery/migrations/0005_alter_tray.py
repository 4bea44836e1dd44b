# expect: DBG209, DBG108
# The earlier migration (0004) is beside this one: the changes are judged, not noticed.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("nursery", "0004_create_tray")]

    operations = [
        migrations.AlterField(
            model_name="tray",
            name="code",
            field=models.CharField(max_length=40, blank=True),
        ),
        migrations.AlterField(
            model_name="tray",
            name="slots",
            field=models.IntegerField(default=24),
        ),
        migrations.AlterField(
            model_name="tray",
            name="code",
            field=models.IntegerField(),
        ),
    ]
