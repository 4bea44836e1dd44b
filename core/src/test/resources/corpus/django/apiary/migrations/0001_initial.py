# expect: none
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Hive",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("site", models.CharField(max_length=40)),
                ("queen", models.CharField(max_length=40, null=True)),
                ("status", models.CharField(max_length=20, default="active")),
            ],
        ),
    ]
