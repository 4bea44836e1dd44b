# expect: DBG202
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_positional_add_field")]

    operations = [
        migrations.RemoveIndex(model_name="membership", name="teams_membership_idx"),
    ]
