"""Reference data (districts, industry fields, disciplines) seeded by migration 0002.

`ensure_reference_data()` re-applies that seed when the tables are empty: transactional tests
flush the database after themselves, taking migration data with them.
"""

import importlib

from django.apps import apps


def ensure_reference_data() -> None:
    District = apps.get_model("core", "District")
    Discipline = apps.get_model("core", "Discipline")
    if District.objects.exists() and Discipline.objects.exists():
        return
    migration = importlib.import_module("tmhub.core.migrations.0002_seed_taxonomies")
    migration.seed(apps, None)
