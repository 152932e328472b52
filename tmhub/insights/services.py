"""Every write of the oversight module: plans, targets and progress reports, audited in the
same transaction (tmhub.core.audit)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.models import ObjectChange
from tmhub.insights.choices import PLAN_NAMES, ReportEvent, ReportStatus, TaskKind
from tmhub.insights.figures import city_figures
from tmhub.insights.models import Plan, PlanTarget, PlanTask, TaskReport
from tmhub.insights.policies import plan_departments


@transaction.atomic
def create_plan(*, actor, title: str, number: str, start: datetime.date, end: datetime.date,
                title_en: str = "", issuers: str = "", issued_on=None,
                predecessor: Plan | None = None) -> Plan:
    """A new plan, usually the successor of the one whose period has ended."""
    policies.require(actor, "create", Plan)
    if end < start:
        raise ValidationError({"end": _("The period cannot end before it starts.")})
    if predecessor is not None:
        if start <= predecessor.end:
            raise ValidationError({"start": _("A successor plan starts after its predecessor "
                                              "ends (%(day)s).") % {"day": predecessor.end}})
        if Plan.objects.filter(predecessor=predecessor).exists():
            raise ValidationError({"predecessor": _("This plan already has a successor.")})
    if Plan.objects.filter(number=number).exists():
        raise ValidationError({"number": _("A plan with this document number exists.")})
    plan = Plan.objects.create(title=title, title_en=title_en, number=number, start=start,
                               end=end, issuers=issuers, issued_on=issued_on,
                               predecessor=predecessor)
    record_change(actor=actor, obj=plan, action=ObjectChange.Action.CREATE, before=None)
    return plan


@transaction.atomic
def add_target(*, actor, plan: Plan, label: str, metric_key: str, aggregation: str,
               target_value: int, due_on: datetime.date, label_en: str = "",
               basis: str = "") -> PlanTarget:
    policies.require(actor, "manage", plan)
    if not plan.start <= due_on <= plan.end:
        raise ValidationError({"due_on": _("The target falls due within the plan's period.")})
    target = PlanTarget.objects.create(
        plan=plan, label=label, label_en=label_en, metric_key=metric_key,
        aggregation=aggregation, target_value=target_value, due_on=due_on, basis=basis,
        order=plan.targets.count())
    record_change(actor=actor, obj=target, action=ObjectChange.Action.CREATE, before=None,
                  related=plan)
    return target


def _check_period(task: PlanTask, start: datetime.date, end: datetime.date) -> None:
    plan = task.plan
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if start < plan.start or end > plan.end:
        raise ValidationError({"period_start": _("The period lies within the plan's period "
                                                 "(%(start)s – %(end)s).")
                               % {"start": plan.start, "end": plan.end}})
    if end > timezone.localdate():
        raise ValidationError({"period_end": _("A report covers a period that has ended.")})


@transaction.atomic
def file_report(*, actor, task: PlanTask, department: str, period_start: datetime.date,
                period_end: datetime.date, narrative: str, measures: str = "") -> TaskReport:
    """A draft report of `department` on `task`; the figures are pulled when it is submitted."""
    policies.require(actor, "file", task)
    if task.kind != TaskKind.KEY_TASK:
        raise ValidationError(_("Reports are filed on key tasks."))
    if department not in plan_departments(get_scope(actor)) or not task.departments.filter(
            department=department).exists():
        raise ValidationError({"department": _("%(department)s is not named on this task.")
                               % {"department": PLAN_NAMES.get(department, department)}})
    _check_period(task, period_start, period_end)
    if TaskReport.objects.filter(task=task, department=department, period_start=period_start,
                                 period_end=period_end).exists():
        raise ValidationError(_("This department has already reported on this task for this "
                                "period."))
    report = TaskReport.objects.create(
        task=task, department=department, period_start=period_start, period_end=period_end,
        narrative=narrative, measures=measures, filed_by=actor_user(actor),
        figures=city_figures(period_start, period_end), figures_as_of=period_end)
    record_change(actor=actor, obj=report, action=ObjectChange.Action.CREATE, before=None,
                  related=task)
    return report


@transaction.atomic
def edit_report(*, actor, report: TaskReport, narrative: str, measures: str = "") -> TaskReport:
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    policies.require(actor, "edit", report)
    before = snapshot(report)
    report.narrative, report.measures = narrative, measures
    report.save(update_fields=["narrative", "measures", "updated_at"])
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.task)
    return report


@transaction.atomic
def submit_report(*, actor, report: TaskReport) -> TaskReport:
    """Submit to the lead department; the figures are pulled again as of the period's end."""
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    policies.require(actor, "submit", report)
    before = snapshot(report)
    old = report.status
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.figures = city_figures(report.period_start, report.period_end)
    report.figures_as_of = report.period_end
    report.save()
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.task)
    record_event(actor=actor, obj=report, event_type=ReportEvent.SUBMITTED, from_state=old,
                 to_state=report.status, related=report.task)
    return report


@transaction.atomic
def review_report(*, actor, report: TaskReport, accept: bool, note: str = "") -> TaskReport:
    """The lead department accepts the report, or returns it with a reason."""
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    policies.require(actor, "review", report)
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the report goes back.")})
    before = snapshot(report)
    old = report.status
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_by = actor_user(actor)
    report.review_note = note
    report.save()
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.task)
    event = ReportEvent.ACCEPTED if accept else ReportEvent.RETURNED
    record_event(actor=actor, obj=report, event_type=event,
                 from_state=old, to_state=report.status, reason=note, related=report.task)
    return report
