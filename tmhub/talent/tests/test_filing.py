"""Annual filing: pre-filled from registered sources, confirmed or corrected, enforced."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.talent import filing
from tmhub.talent.choices import FilingStatus
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.filing_sources import register_filing_source, unregister_filing_source
from tmhub.talent.models import AnnualFiling, FilingPolicy, ManagerProfile
from tmhub.talent.tasks import BEAT_SCHEDULE, enforce_annual_filing
from tmhub.talent.tests.helpers import make_profile, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    # Given two figures other apps would contribute (here: fixed per user and year)
    register_filing_source("projects_served", "Projects served",
                           lambda user, year: 3 if year == 2024 else 0)
    register_filing_source("income_fen", "Income (fen)", lambda user, year: Decimal("1250000"))
    yield
    unregister_filing_source("projects_served")
    unregister_filing_source("income_fen")


def _registered(personas):
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian)
    return register(profile, employer_admin=personas.institution_admin,
                    municipal=personas.municipal_admin)


def test_filing_is_prefilled_and_confirmed(personas, sources):
    registration = _registered(personas)
    assert filing.open_filings(2024, actor=personas.municipal_admin) == 1
    assert filing.open_filings(2024, actor=personas.municipal_admin) == 0  # idempotent
    item = AnnualFiling.objects.get(registration=registration)
    assert {"projects_served": 3, "income_fen": 1250000}.items() <= item.prefilled.items()
    assert item.due_date == datetime.date(2025, 3, 31)
    # When the manager opens the form, the figures are there already
    client = client_for(personas.manager)
    page = client.get(reverse("talent:filing-detail", args=[item.pk])).content.decode()
    assert 'value="3"' in page and 'value="1250000"' in page
    # And confirming without changes needs no explanation
    posted = {f"figure_{k}": "" if v is None else str(v) for k, v in item.prefilled.items()}
    response = client.post(reverse("talent:filing-detail", args=[item.pk]),
                           {**posted, "summary": "全年服务3个项目"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == FilingStatus.SUBMITTED
    assert item.figures == item.prefilled


def test_a_correction_needs_an_explanation(personas, sources):
    registration = _registered(personas)
    filing.open_filings(2024, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration=registration)
    with pytest.raises(ValidationError) as exc:
        filing.submit_filing(item, actor=personas.manager, figures={"projects_served": 4})
    assert "corrections_note" in exc.value.message_dict
    item = filing.submit_filing(item, actor=personas.manager, figures={"projects_served": 4},
                                corrections_note="一个项目未在平台登记")
    assert item.figures["projects_served"] == 4 and item.prefilled["projects_served"] == 3
    with pytest.raises(ValidationError):
        filing.submit_filing(item, actor=personas.manager, figures={})


def test_institution_filing_sums_its_managers(personas, sources):
    from tmhub.orgs import services as org_services

    _registered(personas)
    institution = org_services.create_registration(
        actor=personas.institution_admin, organization=personas.university,
        premises_address="海淀区", fulltime_staff=5, has_written_rules=True, business_scope="x")
    org_services.transition_registration(institution, "submitted",
                                         actor=personas.institution_admin)
    org_services.transition_registration(institution, "approved",
                                         actor=personas.municipal_admin)
    filing.open_filings(2024, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(institution_registration=institution)
    assert item.prefilled["projects_served"] == 3
    assert item.prefilled["registered_managers"] == 1
    # The institution administrator files it; the manager may not.
    client_for(personas.manager).post(reverse("talent:filing-detail", args=[item.pk]), {})
    item.refresh_from_db()
    assert item.status == FilingStatus.OPEN


def test_overdue_filing_is_flagged_then_suspended_after_grace(personas, sources):
    registration = _registered(personas)
    filing.open_filings(2024, actor=personas.municipal_admin)
    policy = FilingPolicy.current(datetime.date(2025, 1, 1))
    due = datetime.date(2025, 3, 31)
    # Before the deadline nothing happens
    assert filing.enforce_filing_deadlines(today=due) == {"flagged": 0, "suspended": 0}
    # The day after, the filing is flagged but the manager stays listed
    assert filing.enforce_filing_deadlines(today=due + datetime.timedelta(days=1)) == {
        "flagged": 1, "suspended": 0}
    assert ManagerProfile.objects.get(pk=registration.profile_id).is_listed
    # After the grace period the registration is suspended by the system
    late = due + datetime.timedelta(days=policy.grace_days + 1)
    assert filing.enforce_filing_deadlines(today=late)["suspended"] == 1
    registration.refresh_from_db()
    assert registration.status == S.SUSPENDED
    assert not ManagerProfile.objects.get(pk=registration.profile_id).is_listed
    # Running again changes nothing
    assert filing.enforce_filing_deadlines(today=late) == {"flagged": 0, "suspended": 0}


def test_beat_task_runs_eagerly(personas):
    assert "talent-enforce-annual-filing" in BEAT_SCHEDULE
    assert enforce_annual_filing.delay().get() == {"flagged": 0, "suspended": 0}
