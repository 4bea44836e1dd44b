# expect: DBG208, DBG224
# preserve_default=False: makemigrations asks for a one-off default only when a nullable field
# becomes NOT NULL. The second AlterField only restates a field whose previous shape is unknown.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("potting", "0009_alter_pot_keys")]

    operations = [
        migrations.AlterField(
            model_name="pot",
            name="diameter_mm",
            field=models.PositiveIntegerField(default=120),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="pot",
            name="colour",
            field=models.CharField(max_length=20, blank=True, verbose_name="colour"),
        ),
    ]
