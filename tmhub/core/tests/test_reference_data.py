"""Transactional tests flush the database after themselves, migration seeds included; the
reference data comes back before the next test, the rules-as-data tables too (a browser test
after a flush once saw no stage gate and no four-eyes rule, and let a project skip 评价; another
saw no scoring criterion and had no score to fill in)."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from tmhub.core.reference_data import SEEDS, ensure_reference_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_seeded_table_is_filled_again_after_a_flush():
    rules = {"transfer.StageGate", "core.FourEyesRule", "evaluation.ScoringCriterion"}
    assert rules <= {label for _module, label in SEEDS}
    models = {apps.get_model(label) for label in rules}
    before = {m: m.objects.count() for m in models}
    assert all(before.values())
    for model in models:  # what a transactional test's flush does
        model.objects.all()._raw_delete(model.objects.db)
    ensure_reference_data()
    assert {m: m.objects.count() for m in models} == before


def test_every_seed_migration_is_listed_for_the_refill():
    """A seed migration left out of SEEDS is gone for every test after the first flush."""
    seeding = {
        "tmhub." + ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in ROOT.glob("*/migrations/0*.py")
        if re.search(r"^forwards, backwards = seed_rows\(|^def seed\(", path.read_text(), re.M)
    }
    assert seeding
    assert seeding <= {module for module, _label in SEEDS}
