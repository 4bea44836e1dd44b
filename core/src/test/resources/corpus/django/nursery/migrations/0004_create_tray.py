# expect: none
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("nursery", "0003_alter_plant_fields")]

    operations = [
        migrations.CreateModel(
            name="Tray",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("code", models.CharField(max_length=12)),
                ("slots", models.SmallIntegerField(default=24)),
            ],
        ),
    ]
