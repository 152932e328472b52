"""Annual filing: pre-filled from the FILING metrics, confirmed or corrected, enforced."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core import metrics
from tmhub.talent import filing
from tmhub.talent.choices import FilingStatus
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import AnnualFiling, FilingPolicy, ManagerProfile
from tmhub.talent.tasks import BEAT_SCHEDULE, enforce_annual_filing
from tmhub.talent.tests.helpers import make_profile, register, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources():
    # Given two FILING metrics other apps would define (here: fixed per user and year)
    metrics.metric("projects_served", label="Projects served", unit=metrics.COUNT,
                   tags={metrics.FILING})(
        lambda ids, period: {i: 3 if period.start.year == 2024 else 0 for i in ids})
    metrics.metric("income_fen", label="Income (fen)", unit=metrics.FEN,
                   tags={metrics.FILING})(lambda ids, period: {i: Decimal("1250000") for i in ids})
    yield
    metrics._REGISTRY.pop("projects_served")
    metrics._REGISTRY.pop("income_fen")


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
    # (money in yuan with two decimals: 1,250,000 fen is 12,500.00 yuan)
    assert 'value="3"' in page and 'value="12500.00"' in page
    # And confirming without changes needs no explanation
    posted = {f"figure_{k}": "" if v is None else str(v) for k, v in item.prefilled.items()}
    posted["figure_income_fen"] = "12500.00"
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


def test_institution_filing_asks_for_institution_figures(personas, sources):
    from tmhub.orgs import services as org_services

    _registered(personas)
    institution = org_services.create_registration(
        actor=personas.institution_admin, organization=personas.university,
        premises_address="海淀区", fulltime_staff=5, has_written_rules=True, business_scope="x")
    org_services.transition_registration(institution, "submitted",
                                         actor=personas.institution_admin)
    org_services.transition_registration(institution, "approved",
                                         actor=personas.municipal_admin)
    # (the running year: the manager was registered today)
    year = timezone.localdate().year
    filing.open_filings(year, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(institution_registration=institution)
    # Institution figures, not its managers' personal ones (no hours, no projects served)
    assert item.prefilled == {"institution_contracts_signed": 0, "institution_income_fen": 0,
                              "institution_fulltime_staff": 5,
                              "institution_registered_managers": 1}
    # named in words on the form
    admin = client_for(personas.institution_admin)
    admin.cookies["django_language"] = "en"
    page = admin.get(reverse("talent:filing-detail", args=[item.pk])).content.decode()
    for label in ("Registered technology managers", "Full-time staff",
                  "Technology contracts signed", "Technology income received"):
        assert f">{label}" in page
    assert ">registered_managers" not in page and "Continuing-education" not in page
    # The institution administrator files it; the manager may not.
    client_for(personas.manager).post(reverse("talent:filing-detail", args=[item.pk]), {})
    item.refresh_from_db()
    assert item.status == FilingStatus.OPEN


def test_overdue_filing_is_flagged_then_suspended_after_grace(personas, sources):
    registration = _registered(personas)
    filing.open_filings(2024, actor=personas.municipal_admin)
    policy = FilingPolicy.objects.current(datetime.date(2025, 1, 1))
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


def test_prefill_reads_every_filing_metric_in_the_same_queries_for_one_or_many(
        personas, sources):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Given filers made of one manager, and of many (an institution's managers)
    users = [make_profile(employer=personas.university, id_number=resident_id(850 + i),
                          name=f"经理人{i}").user_id for i in range(12)]
    with CaptureQueriesContext(connection) as one:
        single = filing.compute_prefill({"alone": users[:1]}, 2024)
    with CaptureQueriesContext(connection) as many:
        every = filing.compute_prefill(
            {**{f"m{i}": [uid] for i, uid in enumerate(users)}, "institution": users}, 2024)
    # Then the metrics are read once each, whatever the number of filers and managers
    assert len(one.captured_queries) == len(many.captured_queries)
    assert single["alone"]["projects_served"] == 3
    assert every["institution"]["projects_served"] == 36
    assert every["institution"]["income_fen"] == 12 * 1250000
    # and every FILING metric of the registry is there (training's hours among them)
    keys = {m.key for m in metrics.tagged(metrics.FILING)}
    assert keys <= set(every["m0"]) and "training_hours" in keys


def test_a_failing_metric_is_left_blank_for_everyone_and_the_rest_is_filled(personas, sources):
    def broken(ids, period):
        raise RuntimeError("the module's figure is broken")

    metrics.metric("broken_figure", label="Broken", unit=metrics.COUNT,
                   tags={metrics.FILING})(broken)
    try:
        registration = _registered(personas)
        filing.open_filings(2024, actor=personas.municipal_admin)
        item = AnnualFiling.objects.get(registration=registration)
        assert item.prefilled["broken_figure"] is None
        assert item.prefilled["projects_served"] == 3
    finally:
        metrics._REGISTRY.pop("broken_figure")


def test_the_form_names_each_figure_by_its_metric(personas, sources):
    registration = _registered(personas)
    filing.open_filings(2024, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration=registration)
    assert filing.figure_label("projects_served") == "Projects served"
    assert filing.figure_label("a_figure_no_longer_defined") == "a_figure_no_longer_defined"
    client = client_for(personas.manager)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("talent:filing-detail", args=[item.pk])).content.decode()
    # (money is named in the unit it is typed in)
    assert "Projects served" in page and "Income (yuan)" in page and "(fen)" not in page
