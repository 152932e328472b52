"""On PostgreSQL, store the search vector without word positions (`strip`).

The directory only ANDs whole tokens (search.TokenMatch), which never reads positions, and the
positions made up 30 % of each row (800 of 1,530 bytes at 100,000 managers). The exact counts
of broad searches that the API reports read every matching row, so a narrower table is a
faster count: 20,544 → 17,309 pages, COUNT of a term in 31 % of rows 82 → 68 ms
(EXPLAIN ANALYZE on the bench/bench_talent.py database).
"""

from django.db import migrations

VECTOR = "to_tsvector('simple'::regconfig, search_text)"


def _replace_vector(schema_editor, expression: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS talent_profile_vector_gin")
    schema_editor.execute("ALTER TABLE talent_managerprofile DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        "ALTER TABLE talent_managerprofile ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({expression}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX talent_profile_vector_gin ON talent_managerprofile USING gin (search_vector)"
    )


def forwards(apps, schema_editor):
    _replace_vector(schema_editor, f"strip({VECTOR})")


def backwards(apps, schema_editor):
    _replace_vector(schema_editor, VECTOR)


class Migration(migrations.Migration):
    dependencies = [("talent", "0005_directory_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
