# expect: DBG201, DBG204
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="team",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to="teams.team"),
        ),
    ]
