"""The transition maps of spotlight entries and of talent-programme nominations.

Spotlight: draft → awaiting approval (the drafter submits it) → published (a second municipal
user approves it, once the manager's consent is recorded and the round is still published) |
back to draft (returned with a reason); a published entry is withdrawn with a reason (final).

Nomination: draft | returned → submitted (the nominator, while the programme is open; the
evidence is gathered from records then) → under review (the 市人才工作局) → accepted | declined
(with reasons, final) | returned for changes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.workflow import FourEyes, Transition, Workflow, stepped_by
from tmhub.evaluation.rating_choices import RoundStatus
from tmhub.evaluation.spotlight_choices import NominationStatus as N
from tmhub.evaluation.spotlight_choices import SpotlightEvent as E
from tmhub.evaluation.spotlight_choices import SpotlightStatus as S

APPROVE_STEP = "evaluation.spotlight.approve"


def _may(verb: str):
    def permitted(scope, obj) -> bool:
        return policies.policy_for(obj).allows(scope, verb, obj)

    permitted.__name__ = f"may_{verb}"
    return permitted


# ---------------------------------------------------------------- spotlight
def _consent_recorded(entry) -> None:
    if not entry.has_consent:
        raise ValidationError(_("Record the manager's consent before the entry is published."),
                              code="consent_missing")


def _round_published(entry) -> None:
    if entry.rating.round.status != RoundStatus.PUBLISHED:
        raise ValidationError(_("Only managers rated in a published round can be in the "
                                "spotlight."), code="round_not_published")


def _citation_written(entry) -> None:
    if not (entry.citation_zh or "").strip():
        raise ValidationError(_("Write the citation in Chinese."), code="citation_missing")


def _stamp_published(step) -> None:
    step.obj.published_at = timezone.now()


def _clear_published(step) -> None:
    step.data["was_published_at"] = str(step.obj.published_at or "")


SPOTLIGHT_WORKFLOW = Workflow([
    Transition(S.DRAFT, S.PENDING, _may("manage"), E.ENTRY_SUBMITTED,
               label=gettext_lazy("Submit for approval"),
               guards=(_citation_written, _round_published)),
    Transition(S.PENDING, S.PUBLISHED, _may("manage"), E.ENTRY_PUBLISHED,
               label=gettext_lazy("Approve and publish"), style="success",
               guards=(_citation_written, _consent_recorded, _round_published),
               effects=(_stamp_published,),
               four_eyes=FourEyes(APPROVE_STEP, stepped_by(E.ENTRY_SUBMITTED, edits=True,
                                                            also=lambda e: [e.created_by_id])),
               confirm=gettext_lazy("Publish this manager on the public spotlight page?")),
    Transition(S.PENDING, S.DRAFT, _may("manage"), E.ENTRY_RETURNED,
               label=gettext_lazy("Return to the drafter"), needs_reason=True,
               style="outline-secondary"),
    Transition((S.DRAFT, S.PENDING, S.PUBLISHED), S.WITHDRAWN, _may("manage"),
               E.ENTRY_WITHDRAWN, label=gettext_lazy("Withdraw"), needs_reason=True,
               style="outline-danger", effects=(_clear_published,),
               confirm=gettext_lazy("Withdraw this entry? It leaves the public page and "
                                    "cannot be published again (a new entry can be drafted).")),
])


# ---------------------------------------------------------------- nominations
def _programme_open(nomination) -> None:
    if not nomination.programme.is_open():
        raise ValidationError(
            _("The programme takes nominations from %(opens)s to %(closes)s.")
            % {"opens": nomination.programme.opens_on, "closes": nomination.programme.closes_on},
            code="programme_closed")


def _statement_written(nomination) -> None:
    if not (nomination.statement or "").strip():
        raise ValidationError(_("Write the statement of the manager's contribution."),
                              code="statement_missing")


def _gather_evidence(step) -> None:
    from tmhub.evaluation.services.nominations import attach_evidence

    attach_evidence(step.obj)
    step.data["evidence"] = {k: step.obj.evidence.get(k) for k in (
        "contract_count", "contract_value_fen", "income_fen")}
    step.data["rating_id"] = step.obj.rating_id


def _stamp_decided(step) -> None:
    step.obj.decided_at = timezone.now()
    step.obj.decision_reason = step.reason


NOMINATION_WORKFLOW = Workflow([
    Transition((N.DRAFT, N.RETURNED), N.SUBMITTED, _may("edit"), E.NOMINATION_SUBMITTED,
               label=gettext_lazy("Submit the nomination"),
               guards=(_programme_open, _statement_written), effects=(_gather_evidence,),
               confirm=gettext_lazy("Submit the nomination to the Municipal Talent Work "
                                    "Bureau? The evidence is taken from the records today.")),
    Transition(N.SUBMITTED, N.UNDER_REVIEW, _may("review"), E.NOMINATION_REVIEWING,
               label=gettext_lazy("Take up for review")),
    Transition((N.SUBMITTED, N.UNDER_REVIEW), N.RETURNED, _may("review"),
               E.NOMINATION_RETURNED, label=gettext_lazy("Return for changes"),
               needs_reason=True, style="outline-secondary"),
    Transition(N.UNDER_REVIEW, N.ACCEPTED, _may("review"), E.NOMINATION_ACCEPTED,
               label=gettext_lazy("Accept"), style="success", asks_reason=True,
               effects=(_stamp_decided,)),
    Transition(N.UNDER_REVIEW, N.DECLINED, _may("review"), E.NOMINATION_DECLINED,
               label=gettext_lazy("Decline"), style="outline-danger", needs_reason=True,
               effects=(_stamp_decided,)),
])
