"""The transition map of a title application (SPEC §6, issue 16 item 4):

draft → submitted → employer public notice → endorsed → panel review (after the intake check)
→ vote → public notice of the result → approved | not approved; returned for changes (by the
employer or at the intake check) and submitted again; withdrawn by the applicant until the
vote; an approved title revoked by the bureau (for good, with the reason). Who may take each
step is the application's policy (`_may`); the notice periods are working days from the
procedure rule in force (`working_days`, China's holiday calendar).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.workflow import Transition, Workflow
from tmhub.evaluation import working_days
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.choices import EvaluationEvent as E
from tmhub.evaluation.choices import ObjectionStatus


def _may(verb: str):
    def permitted(scope, obj) -> bool:
        return policies.policy_for(obj).allows(scope, verb, obj)

    permitted.__name__ = f"may_{verb}"
    return permitted


def _procedure():
    from tmhub.evaluation.services.titles import procedure_in_force

    rule = procedure_in_force(timezone.localdate())
    if rule is None:
        raise ValidationError(_("No procedure rule of the title round is in force today."),
                              code="no_procedure_rule")
    return rule


# ---------------------------------------------------------------- guards
def _procedure_set(application) -> None:
    _procedure()


def eligibility_of(application):
    from tmhub.evaluation.services.titles import check_eligibility

    return check_eligibility(
        level=application.level, direction=application.direction,
        education=application.education,
        years_since_education=application.years_since_education,
        current_title=application.current_title,
        years_in_current_title=application.years_in_current_title, second_person=False)


def _complete(application) -> None:
    errors = {}
    if not application.summary.strip():
        errors["summary"] = _("Write the summary of your professional work before submitting.")
    if application.applicant.employer_id is None:
        errors["institution"] = _("Your profile names no employer: the employer reviews and "
                                  "endorses the application.")
    if errors:
        raise ValidationError(errors, code="incomplete")


def _eligible(application) -> None:
    if not eligibility_of(application).eligible:
        raise ValidationError(
            {"level": _("The education and years given do not meet any route to this level "
                        "(see the eligibility check).")}, code="not_eligible")


def _rating_evidence_current(application) -> None:
    """A cited rating is submitted as it stands (issue 17 item 4: models/rating_evidence.py)."""
    from tmhub.evaluation.services.rating_use import check_evidence_current

    check_evidence_current(application)


def _round_open(application) -> None:
    today = timezone.localdate()
    if not application.round.is_open(today):
        raise ValidationError(
            _("The round accepts applications from %(start)s to %(end)s.")
            % {"start": application.round.opens_on, "end": application.round.closes_on},
            code="round_closed")


def _employer_notice_over(application) -> None:
    end = application.employer_notice_end
    if end is None or timezone.localdate() <= end:
        raise ValidationError(
            _("The employer public notice runs until %(end)s; endorse after it ends.")
            % {"end": end}, code="notice_running")


def _result_notice_over(application) -> None:
    end = application.result_notice_end
    if end is None or timezone.localdate() <= end:
        raise ValidationError(
            _("The public notice of the result runs until %(end)s.") % {"end": end},
            code="notice_running")


def _no_open_objection(application) -> None:
    if application.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise ValidationError(_("Resolve every objection first."), code="objection_open")


def _none_upheld(application) -> None:
    if application.objections.filter(status=ObjectionStatus.UPHELD).exists():
        raise ValidationError(_("An objection was upheld: the title cannot be approved."),
                              code="objection_upheld")


def _an_objection_upheld(application) -> None:
    if not application.objections.filter(status=ObjectionStatus.UPHELD).exists():
        raise ValidationError(_("Only an upheld objection ends the notice without the title."),
                              code="no_upheld_objection")


def _vote_recorded(application) -> None:
    if application.votes_for is None:
        raise ValidationError(_("Record the panel's vote first."), code="vote_missing")


def _vote_passes(application) -> None:
    from tmhub.evaluation.tally import outcome

    _vote_recorded(application)
    if not outcome(application, _procedure()).passed:
        raise ValidationError(_("The vote did not reach the threshold."), code="vote_failed")


def _vote_fails(application) -> None:
    from tmhub.evaluation.tally import outcome

    _vote_recorded(application)
    if outcome(application, _procedure()).passed:
        raise ValidationError(_("The vote reached the threshold."), code="vote_passed")


def _reviews_complete(application) -> None:
    from tmhub.evaluation.services.panels import reviews_complete

    missing = reviews_complete(application)
    messages = {
        "no_panel": _("Form the panel of this level and direction first."),
        "no_reviewer": _("Assign at least one reviewer of the panel."),
        "scores_missing": _("Every assigned reviewer must submit their scores first."),
    }
    if missing:
        raise ValidationError(" ".join(str(messages[m]) for m in missing), code=missing[0])


# ---------------------------------------------------------------- effects
def _stamp_submission(step) -> None:
    app = step.obj
    app.submitted_at = timezone.now()
    app.institution_id = app.applicant.employer_id
    app.return_comments.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())


def _start_employer_notice(step) -> None:
    period = working_days.period_of(timezone.localdate(),
                                    _procedure().employer_notice_working_days)
    app = step.obj
    app.employer_notice_start, app.employer_notice_end = period.start, period.end
    app.employer_notice_estimated = period.estimated
    step.data.update({"notice_from": str(period.start), "notice_until": str(period.end),
                      "estimated": period.estimated})


def _stamp_endorsement(step) -> None:
    step.obj.endorsed_at = timezone.now()


def _start_result_notice(step) -> None:
    period = working_days.period_of(timezone.localdate(),
                                    _procedure().result_notice_working_days)
    app = step.obj
    app.result_notice_start, app.result_notice_end = period.start, period.end
    app.result_notice_estimated = period.estimated
    step.data.update({"notice_from": str(period.start), "notice_until": str(period.end),
                      "estimated": period.estimated})


def _stamp_decision(step) -> None:
    step.obj.decided_at = timezone.now()


def _grant_title(step) -> None:
    """The approved title: a verifiable qualification number, and the manager's profile
    updated (audited on the profile)."""
    from tmhub.evaluation.services.results import grant_title

    number = grant_title(step.obj, actor=step.actor)
    step.data["certificate_number"] = number


def _revoke_title(step) -> None:
    """The revoked title: stamped with who, when and why, the verification page says so, and
    the manager's profile loses the title the approval gave it (audited on the profile)."""
    from tmhub.evaluation.services.results import withdraw_title

    withdraw_title(step.obj, actor=step.actor, reason=step.reason)
    step.data["certificate_number"] = step.obj.certificate_number


# ---------------------------------------------------------------- the map
RETURNABLE_FROM = (S.SUBMITTED, S.ENDORSED)
WITHDRAWABLE_FROM = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.EMPLOYER_NOTICE, S.ENDORSED,
                     S.PANEL_REVIEW)
# Steps taken on their own page (a form with more than a reason): not drawn as plain buttons.
FORM_STEPS = {(S.SUBMITTED, S.RETURNED), (S.ENDORSED, S.RETURNED),
              (S.VOTE, S.RESULT_NOTICE), (S.VOTE, S.NOT_APPROVED), (S.APPROVED, S.REVOKED)}

APPLICATION_WORKFLOW = Workflow([
    Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, _may("submit"), E.SUBMITTED,
               label=gettext_lazy("Submit to the employer"),
               guards=(_complete, _eligible, _round_open, _rating_evidence_current),
               effects=(_stamp_submission,),
               style="success",
               confirm=gettext_lazy("Submit the application to your employer for review?")),
    Transition(S.SUBMITTED, S.EMPLOYER_NOTICE, _may("employer_review"), E.EMPLOYER_NOTICE,
               label=gettext_lazy("Approve and start the employer public notice"),
               guards=(_procedure_set,),
               effects=(_start_employer_notice,), style="success"),
    Transition(RETURNABLE_FROM, S.RETURNED, _may("return"), E.RETURNED,
               label=gettext_lazy("Return for changes"), needs_reason=True, style="warning"),
    Transition(S.EMPLOYER_NOTICE, S.ENDORSED, _may("employer_review"), E.ENDORSED,
               label=gettext_lazy("Endorse to the bureau"), guards=(_employer_notice_over,),
               effects=(_stamp_endorsement,), style="success",
               confirm=gettext_lazy("Endorse the application to the Human Resources and Social "
                                    "Security Bureau?")),
    Transition(S.ENDORSED, S.PANEL_REVIEW, _may("run_round"), E.INTAKE_PASSED,
               label=gettext_lazy("Intake check passed: send to the panel"), style="success"),
    Transition(S.PANEL_REVIEW, S.VOTE, _may("run_round"), E.VOTE_OPENED,
               label=gettext_lazy("Close the review and put to the vote"),
               guards=(_reviews_complete,)),
    Transition(S.VOTE, S.RESULT_NOTICE, _may("run_round"), E.VOTE_PASSED,
               label=gettext_lazy("Publish the result for public notice"),
               guards=(_vote_passes,), effects=(_start_result_notice,), style="success"),
    Transition(S.VOTE, S.NOT_APPROVED, _may("run_round"), E.VOTE_FAILED,
               label=gettext_lazy("Record as not approved"), guards=(_vote_fails,),
               effects=(_stamp_decision,), style="danger"),
    Transition(S.RESULT_NOTICE, S.APPROVED, _may("run_round"), E.APPROVED,
               label=gettext_lazy("Approve the title"),
               guards=(_result_notice_over, _no_open_objection, _none_upheld),
               effects=(_stamp_decision, _grant_title), style="success",
               confirm=gettext_lazy("Approve the title? A qualification number is issued and "
                                    "the manager's profile shows the title.")),
    Transition(S.RESULT_NOTICE, S.NOT_APPROVED, _may("run_round"), E.OBJECTION_UPHELD,
               label=gettext_lazy("Not approved (objection upheld)"), needs_reason=True,
               guards=(_an_objection_upheld,), effects=(_stamp_decision,), style="danger"),
    Transition(S.APPROVED, S.REVOKED, _may("revoke"), E.REVOKED,
               label=gettext_lazy("Revoke the title"), needs_reason=True,
               effects=(_revoke_title,), style="danger",
               confirm=gettext_lazy("Revoke this title for good? The verification page will "
                                    "say it was revoked; this cannot be undone.")),
    Transition(WITHDRAWABLE_FROM, S.WITHDRAWN, _may("withdraw"), E.WITHDRAWN,
               label=gettext_lazy("Withdraw"), asks_reason=True, style="outline-danger"),
])
