# expect: DBG213
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("greenhouse", "0006_notes_text")]

    operations = [
        migrations.AlterField(
            model_name="bench",
            name="notes",
            field=models.TextField(blank=True, null=True, help_text="care instructions"),
        ),
    ]
