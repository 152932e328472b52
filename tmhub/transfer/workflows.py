"""The transition maps of the transfer chain: disclosures, demands, project stages, splits.

Each map says, per step, who may take it (the model's policy: `_may("publish")` asks
`AchievementPolicy.can_publish`), what must hold first (guards) and what else happens
(effects). `Workflow.transition()` is the only writer of these status fields; pages and the API
draw their buttons from `Workflow.buttons()`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.forms_errors import field_error
from tmhub.core.workflow import FourEyes, Transition, Workflow, stepped_by
from tmhub.transfer import gates, splits
from tmhub.transfer.choices import AchievementStatus, DemandStatus, SplitStatus, Stage
from tmhub.transfer.choices import TransferEvent as E


def _may(verb: str):
    """A transition's `permitted`: the record's policy answers `verb` (one rule for pages,
    the API and the services)."""

    def permitted(scope, obj) -> bool:
        return policies.policy_for(obj).allows(scope, verb, obj)

    permitted.__name__ = f"may_{verb}"
    return permitted


# ---------------------------------------------------------------- achievements
def _publishable(achievement) -> None:
    """A disclosure goes public with an abstract and inventors whose shares sum to 100%."""
    errors = {}
    if not achievement.abstract.strip():
        errors["abstract"] = _("An abstract is required before publication.")
    shares = [i.share for i in achievement.inventors.all()]
    if not shares or sum(shares) != 100:
        errors["inventors"] = _("Record the inventors (shares summing to 100%) before publication.")
    if errors:
        raise ValidationError(errors, code="incomplete")


def _stamp_publication(step) -> None:
    step.obj.published_at = timezone.now()


A = AchievementStatus
ACHIEVEMENT_WORKFLOW = Workflow(
    [
        Transition(
            A.DRAFT,
            A.PUBLISHED,
            _may("publish"),
            E.ACHIEVEMENT_PUBLISHED,
            label=gettext_lazy("Publish"),
            guards=(_publishable,),
            effects=(_stamp_publication,),
            style="success",
        ),
        Transition(
            A.WITHDRAWN,
            A.PUBLISHED,
            _may("publish"),
            E.ACHIEVEMENT_PUBLISHED,
            label=gettext_lazy("Publish again"),
            guards=(_publishable,),
            effects=(_stamp_publication,),
            style="success",
        ),
        Transition(
            A.PUBLISHED,
            A.WITHDRAWN,
            _may("withdraw"),
            E.ACHIEVEMENT_WITHDRAWN,
            needs_reason=True,
            label=gettext_lazy("Withdraw"),
            style="warning",
        ),
    ]
)


# ---------------------------------------------------------------- demands
def _deadline_ahead(demand) -> None:
    if demand.deadline and demand.deadline < timezone.localdate():
        raise field_error(
            "deadline", _("The deadline has passed; change it first."), "deadline_passed"
        )


def _stamp_demand_publication(step) -> None:
    step.obj.published_at = timezone.now()
    step.obj.closed_reason = ""


def _keep_closing_reason(step) -> None:
    step.obj.closed_reason = step.reason[:300]


D = DemandStatus
_publish_demand = {
    "permitted": _may("publish"),
    "event_type": E.DEMAND_PUBLISHED,
    "guards": (_deadline_ahead,),
    "effects": (_stamp_demand_publication,),
    "style": "success",
}
_close_demand = {
    "permitted": _may("close"),
    "event_type": E.DEMAND_CLOSED,
    "effects": (_keep_closing_reason,),
    "style": "warning",
    "label": gettext_lazy("Close"),
    "asks_reason": True,
}
DEMAND_WORKFLOW = Workflow(
    [
        Transition(D.DRAFT, D.PUBLISHED, label=gettext_lazy("Publish"), **_publish_demand),
        Transition(D.CLOSED, D.PUBLISHED, label=gettext_lazy("Publish again"), **_publish_demand),
        Transition((D.DRAFT, D.PUBLISHED), D.CLOSED, **_close_demand),
    ]
)


# ---------------------------------------------------------------- project stages
# The explicit stage map. Forward steps may skip stages a mature result does not need;
# backward steps (with a reason) exist only where the work really goes back: evaluation finds
# gaps, a negotiation fails, a deal falls through.
FORWARD = {
    Stage.MINING: [Stage.CULTIVATION, Stage.EVALUATION],
    Stage.CULTIVATION: [Stage.INCUBATION, Stage.MATURATION],
    Stage.INCUBATION: [Stage.MATURATION],
    Stage.MATURATION: [Stage.EVALUATION],
    Stage.EVALUATION: [Stage.PROMOTION],
    Stage.PROMOTION: [Stage.NEGOTIATION],
    Stage.NEGOTIATION: [Stage.TRANSACTION],
    Stage.TRANSACTION: [Stage.LANDING],
    Stage.LANDING: [],
}
BACKWARD = {
    Stage.EVALUATION: [Stage.MATURATION],
    Stage.NEGOTIATION: [Stage.PROMOTION],
    Stage.TRANSACTION: [Stage.NEGOTIATION],
}


def _stamp_stage(step) -> None:
    """Every move dates the stage and bumps the version a stale page is checked against."""
    step.obj.stage_changed_at = timezone.now()
    step.obj.version += 1


def _stamp_landing(step) -> None:
    step.obj.landed_on = timezone.localdate()


def _gate_open(target: str):
    """The stage gate of `target` (rules as data, `tmhub.transfer.gates`): the project holds
    one of the evidence kinds in force for it, or the stage has no gate."""

    def guard(project) -> None:
        gate = gates.gate(project, target)
        if not gate.is_open:
            raise field_error("target", gates.refusal(target, gate.kinds), "stage_evidence_missing")

    guard.__name__ = f"gate_open_{target}"
    return guard


def _gate_closed(target: str):
    """An override is for a missing gate only: with the evidence there, the move is a plain
    one (and its history says so)."""

    def guard(project) -> None:
        if gates.gate(project, target).is_open:
            raise field_error(
                "target",
                _("The evidence for this stage is recorded: move the project normally."),
                "stage_evidence_present",
            )

    guard.__name__ = f"gate_closed_{target}"
    return guard


def _note_missing_evidence(step) -> None:
    """The override's event keeps what was missing, next to its mandatory reason."""
    step.data["missing_evidence"] = list(gates.gate(step.obj, step.transition.target).kinds)


def _forward_effects(target):
    return (_stamp_stage, _stamp_landing) if target == Stage.LANDING else (_stamp_stage,)


def _stage_transitions() -> list[Transition]:
    steps = []
    for source, targets in FORWARD.items():
        steps += [
            Transition(
                source,
                target,
                _may("move"),
                E.STAGE_FORWARD,
                label=target.label,
                guards=(_gate_open(target),),
                effects=_forward_effects(target),
                style="success",
            )
            for target in targets
        ]
    for source, targets in BACKWARD.items():
        steps += [
            Transition(
                source,
                target,
                _may("move"),
                E.STAGE_BACK,
                needs_reason=True,
                label=_back_to_label(target),
                effects=(_stamp_stage,),
                style="outline-warning",
            )
            for target in targets
        ]
    return steps


def _back_to_words(target) -> str:
    return _("Back to %(stage)s") % {"stage": target.label}


# Read in the language of each request: `gettext_lazy(...) % …` would fix the words in the
# language active when this module was imported (an English page read 退回至对接谈判).
_back_to_label = lazy(_back_to_words, str)


def _override_words(target) -> str:
    return _("Move to %(stage)s without evidence (override)") % {"stage": target.label}


def _override_label(target):
    # Translated when shown, not at import (the label names the stage in the reader's language).
    return lazy(_override_words, str)(target)


def _override_transitions() -> list[Transition]:
    """The municipal override: a forward move past a gate whose evidence is missing, with a
    mandatory reason, written as its own event type (the history shows it apart)."""
    return [
        Transition(
            source,
            target,
            _may("override_gate"),
            E.STAGE_GATE_OVERRIDDEN,
            needs_reason=True,
            label=_override_label(target),
            guards=(_gate_closed(target),),
            effects=(_note_missing_evidence, *_forward_effects(target)),
            style="outline-danger",
            confirm=gettext_lazy(
                "The evidence this stage requires is missing. The override and its reason "
                "are recorded in the project's history. Move anyway?"
            ),
        )
        for source, targets in FORWARD.items()
        for target in targets
    ]


STAGE_WORKFLOW = Workflow(_stage_transitions(), status_field="stage")
STAGE_OVERRIDE_WORKFLOW = Workflow(_override_transitions(), status_field="stage")


def is_forward(transition_or_button) -> bool:
    """Forward moves are the ones that need no reason (the board offers only those)."""
    return not transition_or_button.needs_reason


# ---------------------------------------------------------------- reward splits
S = SplitStatus
# Who drafted or changed a split does not approve it (core.FourEyesRule "transfer.split.approve"):
# a second institution administrator, or the municipal administrator, does.
SPLIT_FOUR_EYES = FourEyes(
    "transfer.split.approve",
    stepped_by(edits=True, also=lambda split: [split.created_by_id]),
)
SPLIT_WORKFLOW = Workflow(
    [
        Transition(
            S.DRAFT,
            S.APPROVED,
            _may("approve"),
            E.SPLIT_APPROVED,
            label=gettext_lazy("Approve and freeze"),
            effects=(splits.freeze,),
            style="success",
            confirm=gettext_lazy("Approval freezes the split and issues its statement. Approve?"),
            four_eyes=SPLIT_FOUR_EYES,
        ),
        Transition(
            S.DRAFT,
            S.CANCELLED,
            _may("cancel"),
            E.SPLIT_CANCELLED,
            needs_reason=True,
            label=gettext_lazy("Cancel draft"),
            style="outline-danger",
        ),
    ]
)
