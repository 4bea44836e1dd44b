# expect: none
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Bench",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False)),
                ("label", models.CharField(max_length=40)),
                ("sensor_code", models.CharField(max_length=20, null=True)),
                ("notes", models.CharField(max_length=100, blank=True)),
            ],
        ),
    ]
