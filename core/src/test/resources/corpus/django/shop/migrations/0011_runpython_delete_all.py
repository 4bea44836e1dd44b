# expect: DBG111, DBG221
from django.db import migrations


def purge_sessions(apps, schema_editor):
    Session = apps.get_model("shop", "Session")
    Session.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("shop", "0010_runsql")]

    operations = [
        migrations.RunPython(purge_sessions),
    ]
