# expect: none
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Nest",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("label", models.CharField(max_length=60)),
                ("notes", models.TextField(default="")),
            ],
            options={"db_table": "bird_nest"},
        ),
        # the table is created above under its db_table: nothing existing is touched
        migrations.AddField(
            model_name="nest",
            name="clutch",
            field=models.IntegerField(),
        ),
        migrations.AddIndex(
            model_name="nest",
            index=models.Index(fields=["label"], name="nest_label_idx"),
        ),
    ]
