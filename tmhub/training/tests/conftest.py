"""Training test set-up: the rules seeded by migration 0002 are reference data that a
transactional test elsewhere in the run may have flushed; put them back. `city` is the small
population the dashboard and totals tests count."""

import importlib

import pytest

from tmhub.core.actors import SYSTEM
from tmhub.core.models import IndustryField
from tmhub.talent import services as talent
from tmhub.training.choices import Level
from tmhub.training.tests.helpers import complete_cohort, given_manager, given_provider, revoke


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


@pytest.fixture
def city(personas):
    """Five managers: A (trained route, Haidian, university, AI), B (recruited, Chaoyang,
    hospital, MED; junior then intermediate), C (no talent profile; at the Haidian
    university), D (fails), E (certificate revoked)."""
    ai, med = IndustryField.objects.get(code="AI"), IndustryField.objects.get(code="MED")
    a, b, c, d, e = (given_manager(personas, name) for name in "abcde")
    talent.create_profile(actor=SYSTEM, user=a, full_name="甲", employer=personas.university,
                          work_district=personas.haidian, entry_route="trained", fields=[ai])
    talent.create_profile(actor=SYSTEM, user=b, full_name="乙", employer=personas.hospital,
                          work_district=personas.chaoyang, entry_route="recruited",
                          fields=[med, ai])
    provider = given_provider(personas)
    complete_cohort(personas, [a, b, c, d], "k1", provider=provider, fail=(d,))
    complete_cohort(personas, [b], "k2", level=Level.INTERMEDIATE, provider=provider)
    (revoked,) = complete_cohort(personas, [e], "k3", provider=provider)
    revoke(personas, revoked.certificate, "重复发证")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}
