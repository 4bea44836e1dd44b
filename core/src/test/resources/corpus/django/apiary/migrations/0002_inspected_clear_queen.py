# expect: DBG219
# the loop runs UPDATE apiary_hive SET queen = NULL WHERE status = 'lost' (the try scopes
# nothing, the filter does) in the same transaction as the ADD COLUMN
from django.db import migrations, models


def clear_lost_queens(apps, schema_editor):
    Hive = apps.get_model("apiary", "Hive")
    for hive in Hive.objects.filter(status="lost").iterator():
        try:
            hive.queen = None
            hive.save(update_fields=["queen"])
        except Exception:
            continue


class Migration(migrations.Migration):
    dependencies = [("apiary", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="hive",
            name="inspected_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(clear_lost_queens, migrations.RunPython.noop),
    ]
