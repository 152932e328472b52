"""Training test set-up: the rules seeded by migration 0002 are reference data that a
transactional test elsewhere in the run may have flushed; put them back."""

import importlib

import pytest


@pytest.fixture(autouse=True)
def _training_rules(request):
    if not (request.node.get_closest_marker("django_db")
            or {"db", "transactional_db", "live_server", "personas"} & set(request.fixturenames)):
        return
    from django.apps import apps

    request.getfixturevalue("transactional_db" if {"transactional_db", "live_server"}
                            & set(request.fixturenames) else "db")
    migration = importlib.import_module("tmhub.training.migrations.0002_seed_rules")
    migration.seed(apps, None)
