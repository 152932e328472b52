"""The transition map of a rating round (issue 17 item 2):

draft → open (reviewers score the scored indicators) → computing (a Celery job) → computed
(the city reviews; computed again for the same cut-off as often as needed, with identical
results on the same records) → published (subjects read their ratings and may object). The
job moves the round out of `computing` as SYSTEM: to `computed`, or back to `open` when it
failed (the error kept on the round).

A round an accredited organisation runs is not published by it: computed → awaiting approval
→ published by the city (or returned to computed, with a reason). The city may suspend any
round that is not computing (with a reason; a suspended published round's ratings are hidden
again) and resume it, which reopens it: it is computed and published again."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.workflow import Transition, Workflow
from tmhub.evaluation.rating_choices import RatingEvent as E
from tmhub.evaluation.rating_choices import RoundStatus as R


def _may(verb: str):
    def permitted(scope, obj) -> bool:
        return policies.policy_for(obj).allows(scope, verb, obj)

    permitted.__name__ = f"may_{verb}"
    return permitted


def _job_only(scope, obj) -> bool:
    """Taken by the computation job (SYSTEM) only."""
    return False


def _has_systems(round_) -> None:
    if not round_.systems():
        raise ValidationError(_("Choose the indicator system of the managers or of the "
                                "institutions."), code="no_system")


def _reset_progress(step) -> None:
    round_ = step.obj
    round_.progress_done = 0
    round_.progress_total = 0
    round_.last_error = ""
    pk = round_.pk

    def enqueue():
        from tmhub.evaluation.tasks import compute_rating_round

        compute_rating_round.delay(pk)

    transaction.on_commit(enqueue)


def _stamp_computed(step) -> None:
    step.obj.computed_at = timezone.now()


def _stamp_published(step) -> None:
    step.obj.published_at = timezone.now()
    step.data["objections_until"] = str(step.obj.objections_until)


def _stamp_approved(step) -> None:
    from tmhub.core.actors import actor_user

    step.obj.approved_by = actor_user(step.actor)
    _stamp_published(step)


def _clear_publication(step) -> None:
    step.obj.published_at = None
    step.obj.approved_by = None


SUSPENDABLE = (R.DRAFT, R.OPEN, R.COMPUTED, R.AWAITING_APPROVAL, R.PUBLISHED)


ROUND_WORKFLOW = Workflow([
    Transition(R.DRAFT, R.OPEN, _may("run"), E.ROUND_OPENED,
               label=gettext_lazy("Open the round for review scores"),
               guards=(_has_systems,), style="success"),
    Transition((R.OPEN, R.COMPUTED), R.COMPUTING, _may("run"), E.ROUND_COMPUTING,
               label=gettext_lazy("Compute the ratings"), effects=(_reset_progress,)),
    Transition(R.COMPUTING, R.COMPUTED, _job_only, E.ROUND_COMPUTED,
               label=gettext_lazy("Computed"), effects=(_stamp_computed,)),
    Transition(R.COMPUTING, R.OPEN, _job_only, E.ROUND_FAILED,
               label=gettext_lazy("Computation failed")),
    Transition(R.COMPUTED, R.PUBLISHED, _may("publish"), E.ROUND_PUBLISHED,
               label=gettext_lazy("Publish the ratings"), effects=(_stamp_published,),
               style="success",
               confirm=gettext_lazy("Publish the ratings to the rated managers and "
                                    "institutions? The objection window starts today.")),
    Transition(R.COMPUTED, R.AWAITING_APPROVAL, _may("submit"), E.ROUND_SUBMITTED,
               label=gettext_lazy("Submit to the city for approval")),
    Transition(R.AWAITING_APPROVAL, R.PUBLISHED, _may("approve"), E.ROUND_PUBLISHED,
               label=gettext_lazy("Approve and publish the ratings"),
               effects=(_stamp_approved,), style="success",
               confirm=gettext_lazy("Approve this organisation's round and publish its "
                                    "ratings? The objection window starts today.")),
    Transition(R.AWAITING_APPROVAL, R.COMPUTED, _may("approve"), E.ROUND_RETURNED,
               needs_reason=True, label=gettext_lazy("Return to the organisation"),
               style="secondary"),
    Transition(SUSPENDABLE, R.SUSPENDED, _may("suspend"), E.ROUND_SUSPENDED, needs_reason=True,
               label=gettext_lazy("Suspend the round"), style="danger",
               effects=(_clear_publication,),
               confirm=gettext_lazy("Suspend this round? Its ratings are hidden from the rated "
                                    "subjects until it is resumed and published again.")),
    Transition(R.SUSPENDED, R.OPEN, _may("resume"), E.ROUND_RESUMED, needs_reason=True,
               label=gettext_lazy("Resume the round (reopen it)")),
])
