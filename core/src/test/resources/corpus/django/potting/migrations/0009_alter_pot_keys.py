# expect: DBG225, DBG225, DBG225
# The earlier migrations are not beside this one (squashed away): the previous fields are
# unknown, but a bigint primary key, unique=True and db_index=True may each rewrite or index
# the table.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("potting", "0008_pot_colour")]

    operations = [
        migrations.AlterField(
            model_name="pot",
            name="id",
            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="pot",
            name="barcode",
            field=models.CharField(max_length=32, unique=True),
        ),
        migrations.AlterField(
            model_name="pot",
            name="batch",
            field=models.CharField(max_length=16, db_index=True, blank=True),
        ),
    ]
