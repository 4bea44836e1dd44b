# expect: DBG223, DBG112
# F() expressions read the row (backfill); the bulk_update after the loop writes a constant
from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def rewrite(apps, schema_editor):
    Horse = apps.get_model("stables", "Horse")
    Horse.objects.update(name=Concat(F("name"), Value(" (retired)")))
    batch = list(Horse.objects.all())
    for h in batch:
        h.feed_plan = "senior"
    Horse.objects.bulk_update(batch, ["feed_plan"])


class Migration(migrations.Migration):
    dependencies = [("stables", "0004_fix_blank_stalls")]
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
