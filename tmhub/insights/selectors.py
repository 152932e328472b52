"""Reads for the plan pages: each task's departments, latest report, reports owed and status."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tmhub.insights.choices import ReportStatus, TaskKind
from tmhub.insights.figures import quarters
from tmhub.insights.models import PlanTask, TaskDepartment, TaskReport

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

    A task is late when a department owes a report past its due day, at risk when its latest
    report was returned, on track otherwise."""
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
    key_tasks = []
    for task in tasks:
        if task.kind != TaskKind.KEY_TASK:
            continue
        departments = list(task.departments.all())
        item = TaskOverview(task=task, departments=departments,
                            latest=(by_task.get(task.pk) or [None])[-1])
        item.owed = [(d, s, e) for d in departments for s, e in periods
                     if (task.pk, d.department, s, e) not in filed]
        if item.owed:
            item.status = LATE
        elif item.latest is not None and item.latest.status == ReportStatus.RETURNED:
            item.status = AT_RISK
        key_tasks.append(item)
    measures = [t for t in tasks if t.kind == TaskKind.GUARANTEE]
    return key_tasks, measures


def quarters_ended(plan, today: datetime.date):
    """The plan's quarters that have ended by `today` (a report covers one of them)."""
    return [(s, e) for s, e in quarters(plan.start, min(plan.end, today)) if e < today]
