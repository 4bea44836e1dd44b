# expect: DBG112, DBG112
# a variable holding every hive, then update(): UPDATE apiary_hive SET status = 'active' without
# WHERE; the loop inside `with` overwrites every queen with a constant
from django.db import migrations, transaction


def reset(apps, schema_editor):
    Hive = apps.get_model("apiary", "Hive")
    hives = Hive.objects.all()
    hives.update(status="active")
    for hive in Hive.objects.iterator():
        with transaction.atomic():
            hive.queen = "unknown"
            hive.save()


class Migration(migrations.Migration):
    dependencies = [("apiary", "0002_inspected_clear_queen")]
    operations = [migrations.RunPython(reset, migrations.RunPython.noop)]
