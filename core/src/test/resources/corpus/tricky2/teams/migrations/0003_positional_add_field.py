# expect: DBG220
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_unique_together")]

    operations = [
        migrations.AddField("membership", "note", models.TextField(default="")),
    ]
