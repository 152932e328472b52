"""Who runs a rating round (0017) was built beside the cases, the spotlight and the use of
rating results (0019); none touches the others' tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0017_round_runner"),
        ("evaluation", "0019_merge_rating_evidence"),
    ]
    operations = []
