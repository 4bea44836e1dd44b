# expect: DBG224, DBG224, DBG224
# The fields were declared in migrations that are not beside this one (squashed away): the
# previous shape is unknown, so each AlterField is a review notice, not a rewrite warning.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("nursery", "0002_plant_watering")]

    operations = [
        migrations.AlterField(
            model_name="plant",
            name="common_name",
            field=models.CharField(blank=True, max_length=160, verbose_name="common name"),
        ),
        migrations.AlterField(
            model_name="plant",
            name="planted_at",
            field=models.DateTimeField(auto_now_add=True, null=True),
        ),
        migrations.AlterField(
            model_name="plant",
            name="height_cm",
            field=models.PositiveIntegerField(default=0, help_text="measured at repotting"),
        ),
    ]
