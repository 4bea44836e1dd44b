# expect: none
# only rows whose stall is blank change (the loop tests each row): a scoped fix; the loop in
# the reverse function runs only on unapply
from django.db import migrations


def fill_blank(apps, schema_editor):
    Horse = apps.get_model("stables", "Horse")
    for h in Horse.objects.all():
        if not h.stall:
            h.stall = "UNASSIGNED"
            h.save()


def clear_unassigned(apps, schema_editor):
    Horse = apps.get_model("stables", "Horse")
    for h in Horse.objects.all():
        h.stall = ""
        h.save()


class Migration(migrations.Migration):
    dependencies = [("stables", "0003_stall_from_name")]
    operations = [migrations.RunPython(fill_blank, clear_unassigned)]
