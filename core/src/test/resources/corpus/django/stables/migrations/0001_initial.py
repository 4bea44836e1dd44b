# expect: none
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name="Horse",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("name", models.CharField(max_length=60)),
                ("stall", models.CharField(max_length=10, blank=True)),
                ("feed_plan", models.CharField(max_length=20, default="hay")),
            ],
        ),
    ]
