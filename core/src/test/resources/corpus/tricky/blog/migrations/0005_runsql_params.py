# expect: DBG112
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("blog", "0004_auto")]

    operations = [
        migrations.RunSQL(
            sql=[("UPDATE blog_post SET status = %s", ["draft"])],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
