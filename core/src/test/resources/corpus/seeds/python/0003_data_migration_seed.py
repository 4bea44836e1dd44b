# expect: none
# seed: idempotent
from django.db import migrations


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ["support", "billing"]:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_add_fk")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
