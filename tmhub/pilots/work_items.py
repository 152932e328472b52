"""What awaits a person's action in the pilots (My work, tmhub.core.work_items): the stage
report an assigned manager must file (by the stage's due date), and the reports the
undertaking institution or the programme officer must review. Rows are narrowed by the
pilots' policies and the report workflow's own rules, never by a rule of this module."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core import policies, work_items
from tmhub.core.access import VIEW, Scope, get_scope
from tmhub.pilots.choices import REPORTING_STAGES, ReportStatus
from tmhub.pilots.models import Pilot, StageReport
from tmhub.pilots.workflows import REPORT_WORKFLOW


def _as_scope(actor) -> Scope:
    """Sources may be handed a user or a Scope."""
    return actor if isinstance(actor, Scope) else get_scope(actor)


@work_items.register("pilots.report_due", module="pilots", label=_("Stage reports due"))
def stage_reports_due(scope):
    """Pilots whose manager has yet to file (or submit) the report on the current stage."""
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    rows = (policies.policy_for(Pilot).rows(Pilot.objects.all(), scope, VIEW)
            .filter(stage__in=REPORTING_STAGES, assignments__manager_id=scope.user_id,
                    assignments__ended_on__isnull=True)
            .select_related("programme").distinct())
    for pilot in rows:
        if not policies.allows(scope, "file_report", pilot):
            continue
        report = pilot.reports.filter(stage=pilot.stage).first()
        if report is not None and report.status != ReportStatus.DRAFT:
            continue
        params = {"code": pilot.code, "stage": pilot.get_stage_display()}
        if report is None:
            yield work_items.WorkItem(
                title=_("Pilot %(code)s: file the report on “%(stage)s”") % params,
                url=reverse("pilots:report-create", args=[pilot.pk]),
                action_label=_("File the report"), due_on=pilot.stage_due_on, record=pilot)
        else:
            yield work_items.WorkItem(
                title=_("Pilot %(code)s: submit the report on “%(stage)s”") % params,
                url=report.get_absolute_url(), action_label=_("Open the draft"),
                due_on=pilot.stage_due_on, record=report)


@work_items.register("pilots.review_report", module="pilots",
                     label=_("Pilot stage reports to review"))
def reports_to_review(scope):
    """Submitted reports for the institution's administrators, reports the institution has
    confirmed for the programme officer: whoever the report workflow lets take the step."""
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    rows = (policies.policy_for(StageReport).rows(StageReport.objects.all(), scope, VIEW)
            .filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.INSTITUTION_REVIEWED])
            .select_related("pilot", "pilot__programme", "pilot__institution", "author"))
    for report in rows:
        allowed = [t for t in REPORT_WORKFLOW.transitions_from(report.status)
                   if t.target != ReportStatus.DRAFT and t.permitted(scope, report)]
        if not allowed:
            continue
        yield work_items.WorkItem(
            title=_("Pilot %(code)s: review the report on “%(stage)s”")
            % {"code": report.pilot.code, "stage": report.get_stage_display()},
            url=report.get_absolute_url(), action_label=_("Review"),
            due_on=report.pilot.stage_due_on, record=report,
            detail=str(report.author))
