# expect: DBG112
# every horse's feed plan is overwritten with a constant, row by row: the old plans are lost
from django.db import migrations


def reset_feed(apps, schema_editor):
    Horse = apps.get_model("stables", "Horse")
    for horse in Horse.objects.all().iterator():
        horse.feed_plan = "standard"
        horse.save(update_fields=["feed_plan"])


class Migration(migrations.Migration):
    dependencies = [("stables", "0001_initial")]
    operations = [migrations.RunPython(reset_feed, migrations.RunPython.noop)]
