# expect: none
# UPDATE ... SET status = 'retired' WHERE site = '' alone in its migration: a scoped data fix,
# no DDL in the transaction (the SQL form gets no finding either)
from django.db import migrations


def retire(apps, schema_editor):
    Hive = apps.get_model("apiary", "Hive")
    abandoned = Hive.objects.filter(site="")
    abandoned.update(status="retired")


class Migration(migrations.Migration):
    dependencies = [("apiary", "0003_reset_status_everywhere")]
    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
