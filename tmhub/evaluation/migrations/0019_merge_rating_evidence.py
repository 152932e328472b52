"""The use of rating results (0016) was built beside the cases and the spotlight (0018)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0016_rating_evidence"),
        ("evaluation", "0018_merge_cases_spotlight"),
    ]
    operations = []
