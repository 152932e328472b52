"""The dashboard's title pass rates by level, direction and institution kind equal a count of
the applications decided in the plan's period (a title revoked later still counts as approved
in the year it was decided), in each reader's scope, and each row drills down to them."""

import datetime
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.accounts.models import User
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication
from tmhub.evaluation.tests.helpers import draft
from tmhub.insights import dashboard
from tmhub.insights.tests.helpers import seeded_plan

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def _decided(personas):
    cases = [  # employer, level, direction, status, decided on
        (personas.university, "engineer", "operation", S.APPROVED, datetime.date(2024, 6, 1)),
        (personas.university, "engineer", "research", S.NOT_APPROVED, datetime.date(2025, 6, 1)),
        (personas.hospital, "senior_engineer", "operation", S.REVOKED, datetime.date(2023, 6, 1)),
        (personas.hospital, "engineer", "operation", S.APPROVED, datetime.date(2026, 6, 1)),
        (personas.university, "engineer", "operation", S.SUBMITTED, None),
    ]
    for n, (employer, level, direction, status, day) in enumerate(cases):
        user = create_user(actor=SYSTEM, username=f"t_title{n}", password="x-Pass-2025",
                           email=f"t_title{n}@example.cn")
        grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER, organization=employer)
        made = draft(User.objects.get(pk=user.pk), employer, level=level, direction=direction)
        # set-up rows written as such: the result of a round long decided
        TitleApplication.objects.filter(pk=made.pk).update(
            status=status, institution=employer,
            decided_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ)
            if day else None)


def _expected(applications, plan):
    end = min(plan.end, timezone.localdate())
    counted = defaultdict(lambda: [0, 0])
    for a in applications:
        if a.status not in (S.APPROVED, S.REVOKED, S.NOT_APPROVED) or not a.decided_at:
            continue
        if not plan.start <= timezone.localtime(a.decided_at).date() <= end:
            continue
        for key in (("level", a.level.code), ("direction", a.direction.code),
                    ("institution_kind", a.institution.kind)):
            counted[key][0] += 1
            counted[key][1] += a.status != S.NOT_APPROVED
    return {k: tuple(v) for k, v in counted.items()}


def test_title_pass_rates_equal_a_count_in_each_readers_scope(personas):
    plan = seeded_plan()
    _decided(personas)
    everything = list(TitleApplication.objects.select_related("level", "direction",
                                                              "institution"))
    readers = [
        (personas.municipal_admin, everything),
        (personas.district_officer, [a for a in everything
                                     if a.institution.district_id == personas.haidian.pk]),
        (personas.health_officer, [a for a in everything if a.institution.kind == "medical"]),
    ]
    for user, visible in readers:
        table = dashboard.titles_table(plan, get_scope(user), timezone.localdate())
        shown = {(link["dimension"], link["value"]): (row[2], row[3])
                 for row, link in zip(table.rows, table.links) if row[2]}
        assert shown == _expected(visible, plan), user
        for row in table.rows:
            decided, approved, rate = row[2], row[3], row[4]
            assert rate == (round(100 * approved / decided, 1) if decided else None)
    city = dashboard.titles_table(plan, get_scope(personas.municipal_admin),
                                  timezone.localdate())
    assert sum(r[2] for r, link in zip(city.rows, city.links) if link["dimension"] == "level") == 3


def test_a_title_row_drills_down_to_its_applications(personas):
    plan = seeded_plan()
    _decided(personas)
    client = client_for(personas.municipal_admin)
    url = reverse("insights:dashboard-drill", args=[plan.pk, "titles"])
    page = client.get(url, {"dimension": "direction", "value": "operation", "level": "records"})
    assert page.status_code == 200
    groups = page.context["groups"]
    assert sum(n for _name, n, _a, _u in groups) == 2  # the 2026 decision is after the plan
