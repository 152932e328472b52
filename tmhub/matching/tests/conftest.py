"""Fixtures of the matching tests: a private index directory, real CSL records, helpers."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from tmhub.transfer import services as transfer

CSL = Path(settings.SHARED_DATA_DIR) / "csl"


@pytest.fixture(autouse=True)
def match_index_dir(settings, tmp_path):
    """Every test gets its own index directory (indexes are derived data on disk)."""
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"
    return settings.MATCH_INDEX_DIR


@pytest.fixture(scope="session")
def csl_records():
    """The first 400 titled records of the CSL corpus (real Chinese abstracts)."""
    rows = []
    with open(CSL / "corpus.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["title"]:
                rows.append(row)
            if len(rows) == 400:
                break
    return rows


@pytest.fixture
def publish(personas, django_capture_on_commit_callbacks):
    """publish(row, **values) -> a published achievement of the test university, indexed
    through the hooks exactly as in production (on-commit callbacks executed)."""

    def make(row, *, publish=True, **values):
        with django_capture_on_commit_callbacks(execute=True):
            achievement = transfer.create_achievement(
                actor=personas.institution_admin, owner=personas.university,
                inventors=[{"name": "张三", "share": 100}], title=row["title"][:200],
                abstract=row["abstract"], **values)
        if publish:
            with django_capture_on_commit_callbacks(execute=True):
                achievement = transfer.publish_achievement(achievement,
                                                           actor=personas.institution_admin)
        return achievement

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service call and its on-commit hooks: committed(func, *args, **kwargs)."""

    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run
