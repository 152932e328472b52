"""Explicit workflows: a transition map, one transition service, a history row per step.

Each workflow declares its `Transition`s once; `Workflow.apply` checks the map and the actor's
permission, changes the status, and writes a WorkflowEvent (healthchecks' Flip(old, new,
reason) shape). Views never compare status strings themselves: they ask `allowed_for`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from tmhub.core.access import Scope, get_scope
from tmhub.core.audit import record_event


@dataclass(frozen=True)
class Transition:
    """One legal step: from `source` to `target`, allowed when `permitted(scope, obj)`."""

    source: str
    target: str
    permitted: Callable[[Scope, models.Model], bool]
    event_type: str
    needs_reason: bool = False
    label: object = ""


class TransitionError(ValidationError):
    """A refused transition; carries a machine-readable code."""


class Workflow:
    """A set of transitions over one status field."""

    def __init__(self, transitions: list[Transition], status_field: str = "status"):
        self.status_field = status_field
        self._by_pair = {(t.source, t.target): t for t in transitions}

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for (source, _target), t in self._by_pair.items() if source == state]

    def allowed_for(self, obj: models.Model, user) -> list[Transition]:
        """Transitions the user may take now (for buttons and API hints)."""
        scope = get_scope(user)
        state = getattr(obj, self.status_field)
        return [t for t in self.transitions_from(state) if t.permitted(scope, obj)]

    def check(self, obj: models.Model, target: str, *, actor, reason: str) -> Transition:
        """Return the transition or raise TransitionError with a clear message and code."""
        state = getattr(obj, self.status_field)
        transition = self._by_pair.get((state, target))
        if transition is None:
            raise TransitionError(
                _("Cannot move from “%(source)s” to “%(target)s”.")
                % {"source": _label(obj, self.status_field, state),
                   "target": _label(obj, self.status_field, target)},
                code="illegal_transition",
            )
        if not transition.permitted(get_scope(actor), obj):
            raise TransitionError(
                _("You are not allowed to take this step."), code="transition_forbidden"
            )
        if transition.needs_reason and not (reason or "").strip():
            raise TransitionError(_("A reason is required for this step."), code="reason_required")
        return transition

    def apply(self, obj: models.Model, target: str, *, actor, reason: str = "", data=None):
        """Move `obj` to `target` (caller holds the transaction and row lock)."""
        transition = self.check(obj, target, actor=actor, reason=reason)
        source = getattr(obj, self.status_field)
        setattr(obj, self.status_field, target)
        obj.save()
        record_event(
            actor=actor, obj=obj, event_type=transition.event_type, from_state=source,
            to_state=target, reason=reason, data=data,
        )
        return transition


def _label(obj, field_name, value):
    field = obj._meta.get_field(field_name)
    return dict(field.flatchoices).get(value, value)
