"""Reads for the plan pages: each task's departments, latest report, reports owed and status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tmhub.insights.choices import ReportStatus, TaskKind
from tmhub.insights.figures import quarters
from tmhub.insights.models import (
    FollowUpAction,
    PlanTask,
    StatusRule,
    TaskDepartment,
    TaskReport,
)

# A quarter's report falls due this many days after the quarter ends.
REPORT_DUE_DAYS = 30
FILED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)

ON_TRACK, AT_RISK, LATE = "on_track", "at_risk", "late"
STATUS_LABELS = {ON_TRACK: _("On track"), AT_RISK: pgettext_lazy("task status", "At risk"),
                 LATE: pgettext_lazy("task status", "Late")}


@dataclass
class TaskOverview:
    task: PlanTask
    departments: list
    latest: TaskReport | None = None
    owed: list = field(default_factory=list)  # (department row, period start, period end)
    status: str = ON_TRACK
    open_actions: list = field(default_factory=list)
    overdue_actions: list = field(default_factory=list)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


def due_periods(plan, today: datetime.date):
    """The plan's quarters whose reports are due by `today`."""
    last = min(plan.end, today)
    return [(s, e) for s, e in quarters(plan.start, last)
            if e + datetime.timedelta(days=REPORT_DUE_DAYS) < today]


def plan_tasks(plan, user):
    return (PlanTask.objects.restrict(user).filter(plan=plan)
            .prefetch_related(Prefetch("departments",
                                       queryset=TaskDepartment.objects.order_by("position"))))


def overview(plan, user, today: datetime.date) -> tuple[list[TaskOverview], list[PlanTask]]:
    """The key tasks with their state, and the guarantee measures, in the plan's order.

    The status follows the plan's StatusRule (the defaults where it has none): late with as
    many reports owed past their due day, or follow-up actions past theirs, as the rule says;
    at risk when its latest report was returned or an open action falls due soon; on track
    otherwise."""
    rule = status_rule(plan)
    tasks = list(plan_tasks(plan, user))
    reports = (TaskReport.objects.restrict(user).filter(task__plan=plan)
               .exclude(status=ReportStatus.DRAFT).order_by("period_end", "submitted_at"))
    by_task: dict[int, list[TaskReport]] = {}
    for report in reports:
        by_task.setdefault(report.task_id, []).append(report)
    # Who has filed is the conference's business even where the report itself is not the
    # reader's: the owed list reads every department's filings.
    filed = set(TaskReport.objects.filter(task__plan=plan, status__in=FILED).values_list(
        "task_id", "department", "period_start", "period_end"))
    periods = due_periods(plan, today)
    actions: dict[int, list] = {}
    for action in (FollowUpAction.objects.restrict(user)
                   .filter(task__plan=plan, done_on__isnull=True).order_by("due_on", "pk")):
        actions.setdefault(action.task_id, []).append(action)
    key_tasks = []
    for task in tasks:
        if task.kind != TaskKind.KEY_TASK:
            continue
        departments = list(task.departments.all())
        item = TaskOverview(task=task, departments=departments,
                            latest=(by_task.get(task.pk) or [None])[-1])
        item.owed = [(d, s, e) for d in departments for s, e in periods
                     if (task.pk, d.department, s, e) not in filed]
        item.open_actions = actions.get(task.pk, [])
        item.overdue_actions = [a for a in item.open_actions if a.due_on < today]
        soon = today + datetime.timedelta(days=rule.at_risk_action_days)
        if (rule.late_overdue_reports and len(item.owed) >= rule.late_overdue_reports) or (
                rule.late_overdue_actions
                and len(item.overdue_actions) >= rule.late_overdue_actions):
            item.status = LATE
        elif (rule.at_risk_when_returned and item.latest is not None
              and item.latest.status == ReportStatus.RETURNED) or any(
                a.due_on <= soon for a in item.open_actions):
            item.status = AT_RISK
        key_tasks.append(item)
    measures = [t for t in tasks if t.kind == TaskKind.GUARANTEE]
    return key_tasks, measures


def quarters_ended(plan, today: datetime.date):
    """The plan's quarters that have ended by `today` (a report covers one of them)."""
    return [(s, e) for s, e in quarters(plan.start, min(plan.end, today)) if e < today]


# An owed report is reminded of once, on the first run after its due day; a report whose due
# day lies further back than this is not reminded of any more (the job reminded of it then; a
# new installation does not send years of old quarters at once).
REMIND_WITHIN_DAYS = 90


@dataclass(frozen=True)
class OwedReport:
    task: PlanTask
    department: str
    period_start: datetime.date
    period_end: datetime.date

    @property
    def due_on(self) -> datetime.date:
        return self.period_end + datetime.timedelta(days=REPORT_DUE_DAYS)


def owed_reports(plan, today: datetime.date, departments=None) -> list[OwedReport]:
    """Every report a department named on a key task owes past its due day (none submitted or
    accepted for the period), for every department or those given."""
    periods = due_periods(plan, today)
    if not periods:
        return []
    filed = set(TaskReport.objects.filter(task__plan=plan, status__in=FILED).values_list(
        "task_id", "department", "period_start", "period_end"))
    rows = (TaskDepartment.objects.filter(task__plan=plan, task__kind=TaskKind.KEY_TASK)
            .select_related("task").order_by("task__number", "position"))
    if departments is not None:
        rows = rows.filter(department__in=departments)
    return [OwedReport(row.task, row.department, s, e) for row in rows for s, e in periods
            if (row.task_id, row.department, s, e) not in filed]


def department_people(department: str):
    """The people who act for a plan department: the municipal administrators for 市科委 and
    中关村管委会, the department's officers, the district officers for 各区人民政府."""
    from django.contrib.auth import get_user_model

    from tmhub.core.roles import Role
    from tmhub.insights.choices import CITY_DEPARTMENTS, OFFICER_DEPARTMENT, PlanDepartment

    active = {"memberships__is_active": True, "is_active": True}
    users = get_user_model().objects
    if department in CITY_DEPARTMENTS:
        return users.filter(memberships__role=Role.MUNICIPAL_ADMIN, **active).distinct()
    if department == PlanDepartment.DISTRICTS:
        return users.filter(memberships__role=Role.DISTRICT_OFFICER, **active).distinct()
    return users.filter(memberships__role=Role.DEPARTMENT_OFFICER,
                        memberships__department=OFFICER_DEPARTMENT[department],
                        **active).distinct()


def timedelta_due() -> datetime.timedelta:
    return datetime.timedelta(days=REPORT_DUE_DAYS)


def status_rule(plan) -> StatusRule:
    """The plan's status rule, or the defaults (an unsaved row) where it has none."""
    return StatusRule.objects.filter(plan=plan).first() or StatusRule(plan=plan)
