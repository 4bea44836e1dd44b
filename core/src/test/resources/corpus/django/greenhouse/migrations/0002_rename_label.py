# expect: DBG106
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("greenhouse", "0001_initial")]

    operations = [
        migrations.RenameField(model_name="bench", old_name="label", new_name="title"),
    ]
