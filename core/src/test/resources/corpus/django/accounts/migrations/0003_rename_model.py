# expect: DBG105
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_add_fk")]

    operations = [
        migrations.RenameModel(old_name="Profile", new_name="UserProfile"),
    ]
