"""The two workflows of a pilot: its stages, and each stage report's reviews.

A pilot leaves a stage only with that stage's report approved by the institution and the
programme officer; a report is filed only for the stage the pilot is in, so no stage is
skipped. Closing computes the KPI attainment (`close_out` effect)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core.workflow import Transition, Workflow
from tmhub.pilots import policies as rules
from tmhub.pilots.choices import NEXT_STAGE, ReportStatus, Stage


def approved_report_for_stage(pilot) -> None:
    if not pilot.reports.filter(stage=pilot.stage, status=ReportStatus.APPROVED).exists():
        raise ValidationError(
            _("The manager's report on this stage must be approved by the institution and "
              "the programme officer first."), code="stage_report_missing")


def has_manager(pilot) -> None:
    if not pilot.assignments.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("Assign a technology manager first."), code="no_manager")


def _close_out(step) -> None:
    from django.utils import timezone

    from tmhub.pilots.attainment import close_out

    close_out(step.obj, actor=step.actor)
    step.obj.closed_on = timezone.localdate()
    step.data["overall_attainment"] = str(step.obj.overall_attainment)


def _steers(scope, pilot):
    return rules.steers(scope, pilot)


_ADVANCE_LABELS = {
    Stage.FEASIBILITY: gettext_lazy("Move to application and transfer"),
    Stage.APPLICATION: gettext_lazy("Move to implementation management"),
    Stage.IMPLEMENTATION: gettext_lazy("Move to close-out"),
}

PILOT_WORKFLOW = Workflow(
    [
        Transition(source, NEXT_STAGE[source], _steers, "pilot_stage_advanced",
                   label=_ADVANCE_LABELS[source],
                   guards=(has_manager, approved_report_for_stage))
        for source in (Stage.FEASIBILITY, Stage.APPLICATION, Stage.IMPLEMENTATION)
    ] + [
        Transition(Stage.CLOSEOUT, Stage.CLOSED, _steers, "pilot_closed",
                   label=gettext_lazy("Close the pilot and compute KPI attainment"),
                   guards=(approved_report_for_stage,), effects=(_close_out,),
                   style="success",
                   confirm=gettext_lazy("Closing freezes every KPI's value and attainment. "
                                        "Close the pilot?")),
    ],
    status_field="stage",
)


def report_for_current_stage(report) -> None:
    if report.stage != report.pilot.stage:
        raise ValidationError(
            _("This report is for the stage “%(stage)s”, but the pilot is in “%(current)s”.")
            % {"stage": report.get_stage_display(), "current": report.pilot.get_stage_display()},
            code="stage_mismatch")


def _author(scope, report):
    return report.author_id == scope.user_id and rules.manages(scope, report.pilot)


def _institution(scope, report):
    return scope.is_municipal or rules.administers(scope, report.pilot)


def _officer(scope, report):
    return rules.steers(scope, report.pilot)


REPORT_WORKFLOW = Workflow([
    Transition(ReportStatus.DRAFT, ReportStatus.SUBMITTED, _author, "pilot_report_submitted",
               label=gettext_lazy("Submit for review"), guards=(report_for_current_stage,)),
    Transition(ReportStatus.SUBMITTED, ReportStatus.INSTITUTION_REVIEWED, _institution,
               "pilot_report_institution_reviewed",
               label=gettext_lazy("Confirm for the institution"), asks_reason=True),
    Transition(ReportStatus.INSTITUTION_REVIEWED, ReportStatus.APPROVED, _officer,
               "pilot_report_approved", label=gettext_lazy("Approve for the programme"),
               guards=(report_for_current_stage,), style="success", asks_reason=True),
    Transition(ReportStatus.SUBMITTED, ReportStatus.DRAFT, _institution,
               "pilot_report_returned", label=gettext_lazy("Return to the manager"),
               needs_reason=True, style="outline-danger"),
    Transition(ReportStatus.INSTITUTION_REVIEWED, ReportStatus.DRAFT, _officer,
               "pilot_report_returned", label=gettext_lazy("Return to the manager"),
               needs_reason=True, style="outline-danger"),
])
