# Every case has its number after 0007; from now on the database refuses one without.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_backfill_case_numbers")]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="number",
            field=models.CharField(editable=False, max_length=40),
        ),
    ]
