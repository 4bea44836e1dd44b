# expect: none
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0015_alter_field_and_constraint")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="product", name="description"),
            ],
            database_operations=[],
        ),
    ]
