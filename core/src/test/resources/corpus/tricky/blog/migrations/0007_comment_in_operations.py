# expect: DBG102!
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("blog", "0006_alter_field_nullable")]

    operations = [
        # dbguard:ignore DBG102 column unused since release 2024.3, backup verified
        migrations.RemoveField(
            model_name="post",
            name="legacy_body",
        ),
    ]
