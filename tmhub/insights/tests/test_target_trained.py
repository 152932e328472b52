"""The plan's target (500 technology managers trained by 2025-12-31) counts the managers who
hold a training certificate issued in the plan's period — the people the training dashboard
counts against the same target — not everyone with a class hour of attendance; and the final
figure stands as of the due day (a later revocation does not change it)."""

import datetime

import pytest
from django.utils import timezone

from tmhub.accounts.models import User
from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.insights import dashboard
from tmhub.insights.tests.helpers import seeded_plan
from tmhub.talent.tests.helpers import make_profile, register
from tmhub.training.models import Certificate
from tmhub.training.tests.helpers import complete_cohort

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ)


def _figure(plan) -> int:
    [row] = dashboard.targets_table(plan, timezone.localdate()).rows
    return row[2]


def test_the_target_counts_certified_managers_as_of_the_due_day(personas):
    plan = seeded_plan()
    assert plan.targets.get().metric_key == "certificates_held"
    passed = make_profile(employer=personas.university, district=personas.haidian, name="结业者")
    failed = make_profile(employer=personas.university, district=personas.haidian, name="未结业")
    for profile in (passed, failed):
        register(profile, employer_admin=personas.institution_admin,
                 municipal=personas.municipal_admin)
    # fresh users: a user object caches its roles, and registration has just granted one
    trainee, dropout = (User.objects.get(pk=p.user_id) for p in (passed, failed))
    complete_cohort(personas, [trainee, dropout], code="c-target", fail=(dropout,))
    certificate = Certificate.objects.get(trainee=trainee)
    assert not Certificate.objects.filter(trainee=dropout).exists()
    # Both attended: both have class hours; only the certified one is trained.
    hours = metrics.get("continuing_education_hours").values(
        [passed.user_id, failed.user_id], Period(datetime.date(2000, 1, 1), datetime.date.today()))
    assert hours[passed.user_id] > 0 and hours[failed.user_id] > 0

    Certificate.objects.filter(pk=certificate.pk).update(issued_at=_at(datetime.date(2024, 5, 1)))
    assert _figure(plan) == 1
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=_at(datetime.date(2026, 3, 1)))
    assert _figure(plan) == 1  # revoked after the due day: the final figure stands
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=_at(datetime.date(2025, 6, 1)))
    assert _figure(plan) == 0  # revoked inside the period
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at=None, issued_at=_at(datetime.date(2026, 1, 5)))
    assert _figure(plan) == 0  # certified after the plan's period
