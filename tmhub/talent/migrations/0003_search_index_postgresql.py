"""On PostgreSQL, a GIN index over the jieba-segmented search text (SQLite needs none).

The directory filters with `to_tsvector('simple', search_text) @@ to_tsquery('simple', …)`
(see talent/search.py); the expression here must stay identical for the planner to use it.
"""

from django.db import migrations

INDEX = "talent_profile_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON talent_managerprofile "
        "USING gin (to_tsvector('simple'::regconfig, search_text)) WHERE is_listed"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX}_all ON talent_managerprofile "
        "USING gin (to_tsvector('simple'::regconfig, search_text))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}_all")


class Migration(migrations.Migration):
    dependencies = [("talent", "0002_seed_competences_policy")]
    operations = [migrations.RunPython(create, drop)]
