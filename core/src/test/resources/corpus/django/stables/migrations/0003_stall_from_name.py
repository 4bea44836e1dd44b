# expect: DBG223
# computed from each row's own name: a backfill (rewrites every row, loses nothing)
from django.db import migrations


def derive_stall(apps, schema_editor):
    Horse = apps.get_model("stables", "Horse")
    horses = Horse.objects.all()
    for h in horses:
        h.stall = h.name[:1].upper() + "-" + str(h.pk)
        h.save()


class Migration(migrations.Migration):
    dependencies = [("stables", "0002_reset_feed_plans")]
    operations = [migrations.RunPython(derive_stall, migrations.RunPython.noop)]
