"""Progress reports: a named department files, figures are pulled from the metrics registry
as of the period's end, the lead department reviews, never the person who filed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.insights import services
from tmhub.insights.choices import PlanDepartment, ReportStatus, TaskKind
from tmhub.insights.tests.helpers import contract, seeded_plan
from tmhub.transfer.models import Contract, Receipt

pytestmark = pytest.mark.django_db

Q1 = (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
Q2 = (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))


def task(number):
    return seeded_plan().tasks.get(kind=TaskKind.KEY_TASK, number=number)


def file(personas, who="department_officer", number=1, period=Q1,
         department=PlanDepartment.EDUCATION):
    return services.file_report(actor=getattr(personas, who), task=task(number),
                                department=department, period_start=period[0],
                                period_end=period[1], narrative="开设技术转移选修课三门。",
                                measures="选聘产业导师。")


def figure(report, key):
    return {f["key"]: f["value"] for f in report.figures}[key]


def test_figures_are_pulled_from_the_registry_as_of_the_period_end(personas):
    """Given contracts signed in Q1 and Q2 and a receipt in Q2, when the education officer
    files for Q1, then the report's figures count what the records held within Q1 only, equal
    to an independent count."""
    contract(personas, datetime.date(2025, 2, 10), received_on=datetime.date(2025, 5, 1))
    contract(personas, datetime.date(2025, 5, 20))
    report = file(personas)
    assert report.status == ReportStatus.DRAFT
    assert report.figures_as_of == Q1[1]
    signed_q1 = Contract.objects.filter(signed_on__range=Q1).count()
    assert figure(report, "institution_contracts_signed") == signed_q1 == 1
    assert figure(report, "institution_income_fen") == 0
    q2 = file(personas, period=Q2)
    received = sum(Receipt.objects.filter(received_on__range=Q2)
                   .values_list("amount_fen", flat=True))
    assert figure(q2, "institution_income_fen") == received == 500_000


def test_submitting_pulls_the_figures_again_and_the_lead_accepts(personas):
    """Given a draft, when a contract dated inside the period is recorded and the report is
    submitted, then the figures include it; the municipal administrator (市科委, the lead)
    accepts it, audited."""
    report = file(personas)
    assert figure(report, "institution_contracts_signed") == 0
    contract(personas, datetime.date(2025, 3, 5))
    report = services.submit_report(actor=personas.department_officer, report=report)
    assert report.status == ReportStatus.SUBMITTED
    assert figure(report, "institution_contracts_signed") == 1
    report = services.review_report(actor=personas.municipal_admin, report=report, accept=True)
    assert report.status == ReportStatus.ACCEPTED
    assert report.reviewed_by == personas.municipal_admin
    assert WorkflowEvent.objects.filter(object_id=str(report.pk)).count() == 2
    assert ObjectChange.objects.filter(object_id=str(report.pk),
                                       content_type__model="taskreport").count() == 3


def test_a_department_not_named_on_the_task_cannot_file(personas):
    """Given task 6 (市科委、中关村管委会 only), then the education officer cannot file on it;
    nor for another department on task 1."""
    with pytest.raises(Http404):
        file(personas, number=6)
    with pytest.raises(ValidationError):
        file(personas, department=PlanDepartment.HEALTH)


def test_the_filer_does_not_review_and_a_return_needs_a_reason(personas):
    """Given a report the city filed for 市科委, then the same person cannot review it; the
    health officer (not the lead) cannot either; a return without a reason is refused."""
    own = file(personas, who="municipal_admin", department=PlanDepartment.SCIENCE)
    own = services.submit_report(actor=personas.municipal_admin, report=own)
    with pytest.raises(Http404):
        services.review_report(actor=personas.municipal_admin, report=own, accept=True)
    report = services.submit_report(actor=personas.health_officer, report=file(
        personas, who="health_officer", department=PlanDepartment.HEALTH))
    with pytest.raises(Http404):
        services.review_report(actor=personas.health_officer, report=report, accept=True)
    with pytest.raises(ValidationError):
        services.review_report(actor=personas.municipal_admin, report=report, accept=False)
    returned = services.review_report(actor=personas.municipal_admin, report=report,
                                      accept=False, note="请补充数据。")
    assert returned.status == ReportStatus.RETURNED
    again = services.submit_report(actor=personas.health_officer, report=returned)
    assert again.status == ReportStatus.SUBMITTED


def test_periods_are_checked(personas):
    """A period outside the plan, not yet ended, or reported twice is refused."""
    with pytest.raises(ValidationError):
        file(personas, period=(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)))
    with pytest.raises(ValidationError):
        file(personas, period=(datetime.date(2021, 10, 1), datetime.date(2021, 12, 31)))
    file(personas)
    with pytest.raises(ValidationError):
        file(personas)


def test_a_district_officer_files_for_the_districts(personas):
    report = file(personas, who="district_officer", number=8,
                  department=PlanDepartment.DISTRICTS)
    assert report.plan_name == "各区人民政府"
