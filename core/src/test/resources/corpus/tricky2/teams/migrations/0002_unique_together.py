# expect: DBG205
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [
        migrations.AlterUniqueTogether(
            name="membership",
            unique_together={("user", "team")},
        ),
    ]
