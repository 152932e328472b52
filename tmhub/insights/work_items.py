"""What awaits a person's action in the oversight module (My work, tmhub.core.work_items): the
progress reports their department owes (overdue ones first), their drafts and returned
reports to submit, and the reports their department reviews as a task's lead. Rows are narrowed
by the insights policies."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core import policies, work_items
from tmhub.core.access import Scope, get_scope
from tmhub.insights import selectors
from tmhub.insights.choices import PlanDepartment, ReportStatus
from tmhub.insights.models import FollowUpAction, Plan, TaskReport
from tmhub.insights.policies import plan_departments

# An owed report stays on My work while its plan is in force or its due day is this recent.
SHOWN_WITHIN_DAYS = selectors.REMIND_WITHIN_DAYS


def _as_scope(actor) -> Scope:
    return actor if isinstance(actor, Scope) else get_scope(actor)


@work_items.register("insights.report_due", module="insights", label=_("Progress reports due"))
def reports_due(scope):
    scope = _as_scope(scope)
    mine = plan_departments(scope)
    if scope.user_id is None or not mine:
        return
    today = timezone.localdate()
    plans = work_items.restrict(Plan.objects.all(), scope)
    for plan in plans:
        for owed in selectors.owed_reports(plan, today, departments=mine):
            if (today - owed.due_on).days > SHOWN_WITHIN_DAYS:
                continue
            params = {"number": owed.task.number,
                      "department": PlanDepartment(owed.department).label,
                      "start": owed.period_start, "end": owed.period_end}
            yield work_items.WorkItem(
                title=_("Task %(number)s: %(department)s's report for %(start)s – %(end)s")
                % params, url=reverse("insights:report-create", args=[owed.task.pk]),
                action_label=_("File the report"), due_on=owed.due_on, record=owed.task)


@work_items.register("insights.report_submit", module="insights",
                     label=_("Progress reports to submit"))
def reports_to_submit(scope):
    scope = _as_scope(scope)
    if scope.user_id is None or not plan_departments(scope):
        return
    rows = (work_items.restrict(TaskReport.objects.all(), scope, "change")
            .filter(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))
            .select_related("task"))
    for report in rows:
        if not policies.allows(scope, "submit", report):
            continue
        yield work_items.WorkItem(
            title=_("Task %(number)s: submit the report for %(start)s – %(end)s")
            % {"number": report.task.number, "start": report.period_start,
               "end": report.period_end},
            url=report.get_absolute_url(), action_label=_("Open the report"),
            due_on=report.period_end + selectors.timedelta_due(), record=report)


@work_items.register("insights.report_review", module="insights",
                     label=_("Progress reports to review"))
def reports_to_review(scope):
    scope = _as_scope(scope)
    if scope.user_id is None or not plan_departments(scope):
        return
    rows = (work_items.restrict(TaskReport.objects.all(), scope)
            .filter(status=ReportStatus.SUBMITTED).select_related("task"))
    for report in rows:
        if not policies.allows(scope, "review", report):
            continue
        yield work_items.WorkItem(
            title=_("Task %(number)s: review %(department)s's report for %(start)s – %(end)s")
            % {"number": report.task.number,
               "department": PlanDepartment(report.department).label,
               "start": report.period_start, "end": report.period_end},
            url=report.get_absolute_url(), action_label=_("Review"), record=report)


@work_items.register("insights.action_due", module="insights",
                     label=_("Conference actions due"))
def actions_due(scope):
    """Open follow-up actions the person's department owns."""
    scope = _as_scope(scope)
    mine = plan_departments(scope)
    if scope.user_id is None or not mine:
        return
    rows = (work_items.restrict(FollowUpAction.objects.all(), scope)
            .filter(done_on__isnull=True, owner__in=mine).select_related("meeting"))
    for action in rows:
        if not policies.allows(scope, "complete", action):
            continue
        yield work_items.WorkItem(
            title=_("Conference action: %(text)s") % {"text": action.text},
            url=action.get_absolute_url(), action_label=_("Record as done"),
            due_on=action.due_on, record=action)
