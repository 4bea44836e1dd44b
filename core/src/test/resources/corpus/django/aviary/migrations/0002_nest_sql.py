# expect: DBG201, DBG108, DBG109
from django.db import migrations, models

NEST_TABLE = "bird_nest"

SEARCH_INDEX = """
    CREATE INDEX nest_notes_trgm ON %s USING gin (notes gin_trgm_ops)
""" % NEST_TABLE

NOTES_TO_JSONB = (
    f"ALTER TABLE {NEST_TABLE} "
    "ALTER COLUMN notes TYPE jsonb USING notes::jsonb"
)


class Migration(migrations.Migration):
    dependencies = [("aviary", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=[SEARCH_INDEX, NOTES_TO_JSONB],
            reverse_sql=[
                "DROP INDEX nest_notes_trgm",
                "ALTER TABLE bird_nest ALTER COLUMN notes TYPE text",
            ],
        ),
        migrations.AddField(
            model_name="nest",
            name="height",
            field=models.IntegerField(),
        ),
    ]
