"""Cohort titles in English too. Titles written the way the platform names cohorts,
"<programme>（<n>期）", get the English "<programme in English> (cohort <n>)"; others are left
for their administrators (the Chinese title shows until then)."""

import re

from django.db import migrations, models

NUMBERED = re.compile(r"^(?P<programme>.+)（(?P<number>[^（）]+)期）$")


def translate(apps, schema_editor):
    Cohort = apps.get_model("training", "Cohort")
    for cohort in Cohort.objects.select_related("programme").filter(title_en=""):
        match = NUMBERED.match(cohort.title)
        english = cohort.programme.name_en
        if match and english and match["programme"] == cohort.programme.name_zh:
            cohort.title_en = f"{english} (cohort {match['number']})"
            cohort.save(update_fields=["title_en"])


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_certificate_revocation_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="cohort",
            name="title_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="English title"),
        ),
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
