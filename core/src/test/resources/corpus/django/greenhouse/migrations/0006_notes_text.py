# expect: none
# varchar(100) -> text is binary coercible; blank/help_text change nothing in the database.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("greenhouse", "0005_bigint_id")]

    operations = [
        migrations.AlterField(
            model_name="bench",
            name="notes",
            field=models.TextField(blank=True, help_text="care instructions"),
        ),
    ]
