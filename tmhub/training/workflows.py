"""The workflows of the training system, each one map of transitions with their rules.

Cohort: draft → open (enrolment) → running → finished; draft/open → cancelled. Opening needs a
published programme; starting fixes the completion rule in force on the start date; finishing
closes every enrolment from the rules; cancelling withdraws everyone.

Enrolment: pending → enrolled (a seat is free) | waitlisted (the cohort is full) | rejected;
waitlisted → enrolled when a seat frees up; pending/waitlisted/enrolled → withdrawn; enrolled
→ completed (the completion rule is met: the certificate is issued), not completed or attended
when the cohort finishes.

Certificate revocation: requested → approved (the certificate is revoked) | declined; the
person who asked does not approve (four eyes, `core.FourEyesRule`).

Who may take a step is the policies' (tmhub/training/policies.py: `manage` for cohorts,
`decide` and `withdraw` for enrolments). The steps nobody presses — promotion from the waiting
list, completion, closing — are the platform's own: only SYSTEM takes them, so they are never
offered as buttons, and the audit log shows the platform did it within the request that
caused it (same operation id). Pages and the API offer `buttons(obj, user)`;
`Workflow.transition()` is the only writer of either status.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.workflow import FourEyes, Transition, Workflow, created_by
from tmhub.training.choices import CohortStatus as C
from tmhub.training.choices import EnrolmentStatus as E
from tmhub.training.choices import RevocationStatus as R
from tmhub.training.choices import TrainingEvent

_ARE_YOU_SURE = gettext_lazy("Are you sure?")


def _platform(scope, obj) -> bool:
    """A step the platform takes itself (as SYSTEM); never a person's, never a button."""
    return False


# ---------------------------------------------------------------- cohorts
def _runs_cohort(scope, cohort) -> bool:
    return policies.allows(scope, "manage", cohort)


def programme_published(cohort) -> None:
    """Guard of opening: the programme is in the public catalogue."""
    if not cohort.programme.is_published:
        raise ValidationError(
            _("Publish the programme before opening a cohort."), code="programme_unpublished"
        )


def completion_rule_in_force(cohort) -> None:
    """Guard of starting a level cohort: a completion rule is in force on its start date."""
    from tmhub.training.completion import rule_for

    if cohort.programme.level and rule_for(cohort.programme.level, cohort.start_date) is None:
        raise ValidationError(
            _("No completion rule for this level is in force on the start date."),
            code="no_rule",
        )


def fix_completion_rule(step) -> None:
    """The rule in force on the start date applies to the whole cohort, whatever comes later."""
    from tmhub.training.completion import rule_for

    cohort = step.obj
    if cohort.programme.level:
        cohort.completion_rule = rule_for(cohort.programme.level, cohort.start_date)


def close_enrolments(step) -> None:
    from tmhub.training.services.attendance import close_enrolments as close

    close(step.obj)


def withdraw_everyone(step) -> None:
    from tmhub.training.services.enrolment import withdraw_all

    withdraw_all(step.obj, reason=step.reason)


COHORT_WORKFLOW = Workflow(
    [
        Transition(
            C.DRAFT,
            C.OPEN,
            _runs_cohort,
            TrainingEvent.COHORT_OPENED,
            label=gettext_lazy("Open for enrolment"),
            guards=(programme_published,),
            style="success",
        ),
        Transition(
            C.OPEN,
            C.RUNNING,
            _runs_cohort,
            TrainingEvent.COHORT_STARTED,
            label=gettext_lazy("Start the cohort"),
            guards=(completion_rule_in_force,),
            effects=(fix_completion_rule,),
            style="success",
        ),
        Transition(
            C.RUNNING,
            C.FINISHED,
            _runs_cohort,
            TrainingEvent.COHORT_FINISHED,
            label=gettext_lazy("Finish the cohort"),
            effects=(close_enrolments,),
            style="success",
            confirm=_ARE_YOU_SURE,
        ),
        Transition(
            (C.DRAFT, C.OPEN),
            C.CANCELLED,
            _runs_cohort,
            TrainingEvent.COHORT_CANCELLED,
            needs_reason=True,
            label=gettext_lazy("Cancel"),
            effects=(withdraw_everyone,),
            style="outline-danger",
        ),
    ]
)


# ---------------------------------------------------------------- enrolments
def _decides(scope, enrolment) -> bool:
    return policies.allows(scope, "decide", enrolment)


def _may_withdraw(scope, enrolment) -> bool:
    return policies.allows(scope, "withdraw", enrolment)


def cohort_takes_decisions(enrolment) -> None:
    """Guard of deciding on a request: the cohort is open or running."""
    if not (enrolment.cohort.is_open or enrolment.cohort.is_running):
        raise ValidationError(_("This cohort no longer takes enrolments."), code="closed")


def seat_free(enrolment) -> None:
    """Guard of a seat: the cohort's capacity is not reached."""
    if not enrolment.cohort.has_free_seat():
        raise ValidationError(_("Every seat of this cohort is taken."), code="cohort_full")


def cohort_full(enrolment) -> None:
    """Guard of the waiting list: only when no seat is free."""
    if enrolment.cohort.has_free_seat():
        raise ValidationError(_("A seat is free: approve the request."), code="seat_free")


def meets_completion_rule(enrolment) -> None:
    """Guard of completion: the rule fixed for the cohort is met (hours, modules, exams)."""
    from tmhub.training.completion import verdict_for

    verdict = verdict_for(enrolment)
    if verdict is None or not verdict.complete:
        raise ValidationError(_("The completion requirements are not met."), code="incomplete")


def stamp_decided(step) -> None:
    step.obj.decided_at = timezone.now()


def stamp_waitlisted(step) -> None:
    step.obj.waitlisted_at = step.obj.decided_at or timezone.now()


def stamp_completed(step) -> None:
    step.obj.completed_at = timezone.now()
    step.data["hours"] = str(step.obj.hours_attended)


def issue_certificate(step) -> None:
    from tmhub.training.services.certificates import issue_certificate as issue

    issue(step.obj, actor=step.actor)


ENROLMENT_WORKFLOW = Workflow(
    [
        Transition(
            E.PENDING,
            E.ENROLLED,
            _decides,
            TrainingEvent.ENROLMENT_APPROVED,
            label=gettext_lazy("Approve"),
            guards=(cohort_takes_decisions, seat_free),
            effects=(stamp_decided,),
            style="success",
        ),
        Transition(
            E.PENDING,
            E.WAITLISTED,
            _decides,
            TrainingEvent.ENROLMENT_WAITLISTED,
            label=gettext_lazy("Approve onto the waiting list"),
            guards=(cohort_takes_decisions, cohort_full),
            effects=(stamp_decided, stamp_waitlisted),
            style="success",
        ),
        Transition(
            E.PENDING,
            E.REJECTED,
            _decides,
            TrainingEvent.ENROLMENT_REJECTED,
            needs_reason=True,
            label=gettext_lazy("Reject"),
            guards=(cohort_takes_decisions,),
            effects=(stamp_decided,),
            style="warning",
        ),
        Transition(
            E.WAITLISTED,
            E.ENROLLED,
            _platform,
            TrainingEvent.ENROLMENT_PROMOTED,
            guards=(seat_free,),
        ),
        Transition(
            (E.PENDING, E.WAITLISTED, E.ENROLLED),
            E.WITHDRAWN,
            _may_withdraw,
            TrainingEvent.ENROLMENT_WITHDRAWN,
            label=gettext_lazy("Withdraw"),
            style="outline-danger",
            confirm=_ARE_YOU_SURE,
        ),
        Transition(
            E.ENROLLED,
            E.COMPLETED,
            _platform,
            TrainingEvent.ENROLMENT_COMPLETED,
            guards=(meets_completion_rule,),
            effects=(stamp_completed, issue_certificate),
        ),
        Transition(E.ENROLLED, E.NOT_COMPLETED, _platform, TrainingEvent.ENROLMENT_NOT_COMPLETED),
        Transition(E.ENROLLED, E.ATTENDED, _platform, TrainingEvent.ENROLMENT_ATTENDED),
    ]
)


# ---------------------------------------------------------------- certificate revocation
# requested → approved (the certificate is revoked) | declined. Whoever asked does not approve
# (core.FourEyesRule "training.certificate.revoke"): a second administrator of the provider, or
# the city, does. Asking is `services.request_revocation` (creation is not a transition).
def _decides_revocation(scope, revocation) -> bool:
    return policies.allows(scope, "decide", revocation)


def stamp_revocation_decided(step) -> None:
    from tmhub.core.actors import actor_user

    step.obj.decided_by = actor_user(step.actor)
    step.obj.decided_at = timezone.now()
    step.obj.decision_note = step.reason.strip()


def revoke_the_certificate(step) -> None:
    """Approval's effect: the certificate itself is revoked, with the request's reason."""
    from tmhub.training.services.certificates import apply_revocation

    apply_revocation(step.obj, actor=step.actor)


REVOCATION_FOUR_EYES = FourEyes("training.certificate.revoke", created_by("requested_by"))
REVOCATION_WORKFLOW = Workflow(
    [
        Transition(
            R.REQUESTED,
            R.APPROVED,
            _decides_revocation,
            TrainingEvent.REVOCATION_APPROVED,
            label=gettext_lazy("Approve revocation"),
            effects=(stamp_revocation_decided, revoke_the_certificate),
            style="danger",
            confirm=gettext_lazy("The certificate will be revoked; the public page will say so."),
            four_eyes=REVOCATION_FOUR_EYES,
        ),
        Transition(
            R.REQUESTED,
            R.DECLINED,
            _decides_revocation,
            TrainingEvent.REVOCATION_DECLINED,
            needs_reason=True,
            label=gettext_lazy("Decline revocation"),
            effects=(stamp_revocation_decided,),
            style="outline-secondary",
        ),
    ]
)
