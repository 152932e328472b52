"""Services of the pilots: selection, KPIs counted from linked records, assignments, stage
reports that cannot skip a stage, close-out attainment, reminders."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tmhub.core import metrics
from tmhub.core.actors import SYSTEM
from tmhub.core.models import Notification
from tmhub.pilots import attainment, services
from tmhub.pilots.choices import AssignmentMode, PilotResult, ReportStatus, Stage
from tmhub.pilots.models import Pilot
from tmhub.pilots.tests.helpers import (
    add_kpi,
    assign,
    contract,
    make_pilot,
    science_officer,
    walk_report,
)

pytestmark = pytest.mark.django_db


def test_only_the_city_selects_a_pilot_with_a_reason(personas):
    """Given a funded project, when the city selects it, then it is a pilot in the
    feasibility stage located in the institution's district; others are refused, and an
    empty reason is refused."""
    pilot = make_pilot(personas)
    assert pilot.stage == Stage.FEASIBILITY and pilot.district == personas.haidian
    with pytest.raises(Http404):
        services.select_pilot(
            actor=personas.department_officer, programme=pilot.programme, code="X2",
            title="t", institution=personas.university, principal_investigator="p",
            budget_fen=1, starts_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2025, 1, 1), selection_reason="r")
    with pytest.raises(ValidationError) as exc:
        make_pilot(personas, code="X3", selection_reason="  ")
    assert "selection_reason" in exc.value.error_dict


def test_kpi_attainment_from_linked_contracts_equals_an_independent_count(personas):
    """Given KPIs on contracts signed and contract value, when contracts of the institution are
    linked, then the actual values equal a count and a sum made here from the contracts
    themselves; an unlinked contract does not count."""
    pilot = make_pilot(personas)
    signed = add_kpi(personas, pilot, "contracts_signed", "4", weight=1)
    value = add_kpi(personas, pilot, "contract_value", "200", weight=3)  # 万元
    linked = [contract(personas, f"合同{i}", amount_fen=(i + 1) * 30_000_000) for i in range(3)]
    contract(personas, "未关联合同", amount_fen=99_000_000)
    for c in linked:
        services.link_contract(pilot, actor=personas.institution_admin, contract=c)
    actual = attainment.actual_values([signed, value])
    assert actual[signed.pk] == Decimal(len(linked))
    assert actual[value.pk] == Decimal(sum(c.amount_fen for c in linked)) / 1_000_000
    rows, overall = attainment.progress(pilot)
    by_code = {k.kpi_type.code: a for k, _v, a in rows}
    assert by_code == {"contracts_signed": Decimal("75.0"), "contract_value": Decimal("90.0")}
    assert overall == Decimal("86.3")  # (75×1 + 90×3) / 4


def test_a_contract_of_another_institution_is_refused(personas):
    """Given a pilot of 测试大学, when a contract of another university is linked, it is
    refused: only the undertaking institution's contracts count."""
    pilot = make_pilot(personas)
    other = contract(personas, "他校合同", institution=personas.other_university)
    with pytest.raises(ValidationError):
        services.link_contract(pilot, actor=personas.municipal_admin, contract=other)


def test_a_counted_kpi_cannot_be_reported_by_hand_and_a_reported_one_needs_evidence(personas):
    pilot = make_pilot(personas)
    counted = add_kpi(personas, pilot, "contracts_signed", "2")
    reported = add_kpi(personas, pilot, "companies_founded", "1")
    assign(personas, pilot)
    with pytest.raises(ValidationError):
        services.report_kpi(counted, actor=personas.manager, value=5, evidence="x")
    with pytest.raises(ValidationError):
        services.report_kpi(reported, actor=personas.manager, value=1, evidence=" ")
    reported = services.report_kpi(reported, actor=personas.manager, value=1,
                                   evidence="营业执照 91110108MA00000000")
    assert attainment.actual_values([reported])[reported.pk] == Decimal(1)


def test_one_to_many_workload_is_counted_once_per_pilot(personas):
    """Given a manager assigned one-to-many to two pilots (one of them twice, after an end),
    when the workload metric is read, then it counts two pilots."""
    first, second = make_pilot(personas), make_pilot(personas, code="Z241100002")
    a = assign(personas, first)
    assign(personas, second)
    services.end_assignment(a, actor=personas.municipal_admin, reason="调整")
    assign(personas, first)
    today = datetime.date.today()
    values = metrics.get("pilots_managed").values([personas.manager.pk],
                                                 metrics.Period(today, today))
    assert values[personas.manager.pk] == 2


def test_one_to_one_keeps_the_manager_to_one_pilot(personas):
    first, second = make_pilot(personas), make_pilot(personas, code="Z241100002")
    assign(personas, first, mode=AssignmentMode.ONE_TO_ONE)
    with pytest.raises(ValidationError):
        assign(personas, second, mode=AssignmentMode.ONE_TO_MANY)
    with pytest.raises(ValidationError):
        assign(personas, second, mode=AssignmentMode.ONE_TO_ONE)
    with pytest.raises(ValidationError):  # not a registered manager
        assign(personas, second, manager=personas.enterprise)


def test_replacement_ends_the_old_assignment_the_same_day(personas):
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.roles import Role

    pilot = make_pilot(personas)
    old = assign(personas, pilot)
    other = create_user(actor=SYSTEM, username="p_mgr2", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=other, role=Role.MANAGER, organization=personas.university)
    new = services.assign_manager(pilot, actor=science_officer(), manager=other,
                                  mode=AssignmentMode.ONE_TO_MANY, replaces=old,
                                  reason="工作调动")
    old.refresh_from_db()
    assert old.ended_on == new.assigned_on and old.replaced_by == new
    assert Notification.objects.filter(recipient=other, kind="pilots.assigned").exists()


def test_stage_reports_cannot_skip_a_stage(personas):
    """Given a pilot in feasibility, when its manager files an implementation report, it is
    refused; the pilot cannot move on before the feasibility report is approved."""
    pilot = make_pilot(personas)
    assign(personas, pilot)
    with pytest.raises(ValidationError):
        services.create_report(pilot, actor=personas.manager, done="x",
                               stage=Stage.IMPLEMENTATION)
    with pytest.raises(ValidationError):
        services.step_pilot(pilot, Stage.APPLICATION, actor=personas.municipal_admin)
    with pytest.raises(ValidationError):  # two stages at once is no transition
        services.step_pilot(pilot, Stage.IMPLEMENTATION, actor=personas.municipal_admin)
    report = walk_report(personas, pilot)
    assert report.status == ReportStatus.APPROVED
    pilot = services.step_pilot(pilot, Stage.APPLICATION, actor=science_officer())
    assert pilot.stage == Stage.APPLICATION


def test_report_reviews_are_the_institutions_then_the_officers(personas):
    pilot = make_pilot(personas)
    assign(personas, pilot)
    report = services.create_report(pilot, actor=personas.manager, done="完成")
    report = services.step_report(report, ReportStatus.SUBMITTED, actor=personas.manager)
    with pytest.raises(ValidationError):  # the officer may not skip the institution
        services.step_report(report, ReportStatus.APPROVED, actor=science_officer())
    with pytest.raises(ValidationError):
        services.step_report(report, ReportStatus.INSTITUTION_REVIEWED, actor=personas.manager)
    report = services.step_report(report, ReportStatus.DRAFT, actor=personas.institution_admin,
                                  reason="补充风险分析")
    assert report.status == ReportStatus.DRAFT


def test_close_out_computes_attainment_and_the_result(personas):
    """Given a pilot with a counted and a reported KPI, when it passes every stage and closes,
    then each KPI's value and attainment are frozen and the weighted result is stored; the
    manager's attainment metric reads it."""
    pilot = make_pilot(personas)
    signed = add_kpi(personas, pilot, "contracts_signed", "1", weight=1)
    founded = add_kpi(personas, pilot, "companies_founded", "2", weight=1)
    assign(personas, pilot)
    services.link_contract(pilot, actor=personas.institution_admin, contract=contract(personas))
    services.report_kpi(founded, actor=personas.manager, value=1, evidence="营业执照")
    for target in (Stage.APPLICATION, Stage.IMPLEMENTATION, Stage.CLOSEOUT, Stage.CLOSED):
        walk_report(personas, pilot)
        pilot = services.step_pilot(pilot, target, actor=personas.municipal_admin)
    pilot = Pilot.objects.get(pk=pilot.pk)
    signed.refresh_from_db()
    founded.refresh_from_db()
    assert (signed.attainment, founded.attainment) == (Decimal("100.0"), Decimal("50.0"))
    assert pilot.overall_attainment == Decimal("75.0") and pilot.result == PilotResult.PARTLY
    year = metrics.Period.year(pilot.closed_on.year)
    assert metrics.get("pilot_kpi_attainment").values([personas.manager.pk], year)[
        personas.manager.pk] == Decimal("75.0")
    with pytest.raises(ValidationError):
        add_kpi(personas, pilot, "products", "1")


def test_reminders_go_out_once_before_a_due_date(personas):
    pilot = make_pilot(personas)
    today = datetime.date.today()
    add_kpi(personas, pilot, "products", "1", due=today + datetime.timedelta(days=10))
    add_kpi(personas, pilot, "standards", "1", due=today + datetime.timedelta(days=200))
    assign(personas, pilot)
    assert services.send_due_reminders(actor=SYSTEM) == 1
    assert services.send_due_reminders(actor=SYSTEM) == 0
    assert Notification.objects.filter(recipient=personas.manager,
                                       kind="pilots.reminder").count() == 1
