"""Explicit workflows: a transition map with guards and effects, one way to take a step.

Each workflow declares its `Transition`s once. A transition says who may take it
(`permitted(scope, obj)`), what must be true first (`guards`: evidence, dates, counts; each
raises a ValidationError with a code) and what else happens (`effects`: a number issued, a
record frozen, a seat released). `Workflow.transition()` is the only writer of the status
field: it locks the row, checks, runs the effects, saves and writes the WorkflowEvent
(healthchecks' Flip(old, new, reason) shape, django-fsm's protected field). Templates and the
API get their buttons from `Workflow.buttons(obj, user)`; nothing compares status strings.

Models whose status a workflow owns inherit `WorkflowModel` and list the field in
`WORKFLOW_FIELDS`: saving a changed status outside a transition raises, so no service can
move a record without its checks and its history row.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tmhub.core.access import Scope, get_scope
from tmhub.core.actors import actor_user, is_system
from tmhub.core.audit import record_event

_writing: contextvars.ContextVar[bool] = contextvars.ContextVar("workflow_writing", default=False)


@contextmanager
def _status_writable():
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


class ProtectedStatusError(ImproperlyConfigured):
    """A workflow-owned status was changed by a plain save()."""


class WorkflowModel(models.Model):
    """Abstract base: the fields in `WORKFLOW_FIELDS` change only through a Workflow."""

    WORKFLOW_FIELDS: tuple[str, ...] = ("status",)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_workflow_loaded", None)
        if loaded and not _writing.get():
            moved = [n for n, v in loaded.items() if getattr(self, n) != v]
            if moved:
                raise ProtectedStatusError(
                    f"{type(self).__name__}.{moved[0]} is owned by a workflow: "
                    "use its transition()."
                )
        super().save(*args, **kwargs)
        self._workflow_loaded = {n: getattr(self, n) for n in self.WORKFLOW_FIELDS}

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        # What the database holds now is what a later save() compares against.
        self._workflow_loaded = {n: getattr(self, n) for n in self.WORKFLOW_FIELDS}

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._workflow_loaded = {
            name: getattr(instance, name) for name in cls.WORKFLOW_FIELDS
            if name in field_names
        }
        return instance

@dataclass
class Step:
    """One transition being taken: effects read it and may add to `data` (the event's data)."""

    obj: models.Model
    transition: Transition
    actor: object
    reason: str
    data: dict
    source: str


@dataclass(frozen=True)
class FourEyes:
    """A step a second person must take: not whoever drafted or submitted the record.

    Whether it applies is data: the `core.FourEyesRule` row for `step` in force on the day
    (seeded by a migration with its legal basis). `prepared_by(obj)` names the user ids who
    prepared the record (its author, its editors, who submitted it: `created_by`,
    `stepped_by`); a person among them is refused with code `same_person_approval`, and the
    button shows why. SYSTEM prepares and decides as nobody in particular.
    """

    step: str
    prepared_by: Callable[[models.Model], Iterable[int | None]]

    def rule(self):
        from tmhub.core.models import FourEyesRule

        return FourEyesRule.objects.in_force(step=self.step).first()

    def refusal(self, obj: models.Model, actor) -> TransitionError | None:
        """Why `actor` may not take the step on `obj` (None: they may)."""
        user_id = getattr(actor_user(actor), "pk", None)
        if user_id is None:
            return None
        rule = self.rule()
        if rule is None or not rule.second_person_required:
            return None
        if user_id not in set(self.prepared_by(obj)):
            return None
        return TransitionError(
            _("You drafted or submitted this record, so another person must take this step "
              "(four-eyes rule: %(rule)s).") % {"rule": rule.name},
            code="same_person_approval",
        )


def created_by(field_name: str = "created_by"):
    """`prepared_by` reading the record's author field."""

    def prepared_by(obj) -> list:
        return [getattr(obj, f"{field_name}_id", None)]

    return prepared_by


def stepped_by(*event_types: str, edits: bool = False, also=None):
    """`prepared_by` from the record's history: who took the workflow events `event_types`
    on it (a submission), with `edits=True` everyone who changed the record (its drafters),
    plus whatever `also(obj)` names (an author field)."""

    def prepared_by(obj) -> list:
        from django.contrib.contenttypes.models import ContentType

        from tmhub.core.models import ObjectChange, WorkflowEvent

        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        mine = {"content_type": ct, "object_id": str(obj.pk)}
        ids = list(also(obj)) if also else []
        if event_types:
            ids += WorkflowEvent.objects.filter(
                event_type__in=[str(e) for e in event_types], **mine
            ).values_list("actor_id", flat=True)
        if edits:
            ids += ObjectChange.objects.filter(**mine).exclude(
                action=ObjectChange.Action.DELETE).values_list("actor_id", flat=True)
        return [i for i in ids if i is not None]

    return prepared_by


@dataclass(frozen=True)
class Transition:
    """One legal step from `source` (a state or several) to `target`."""

    source: str | tuple[str, ...]
    target: str
    permitted: Callable[[Scope, models.Model], bool]
    event_type: str
    needs_reason: bool = False
    label: object = ""
    asks_reason: bool = False  # a reason box is offered but may stay empty
    guards: tuple[Callable[[models.Model], None], ...] = ()
    effects: tuple[Callable[[Step], None], ...] = ()
    style: str = "primary"  # the button's Bootstrap colour
    confirm: object = ""  # asked before an irreversible step
    four_eyes: FourEyes | None = None  # a second person must take it (when the rule is in force)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)


@dataclass(frozen=True)
class Button:
    """What a page or an API answer offers for one transition the user may take."""

    target: str
    label: object
    style: str
    needs_reason: bool
    confirm: object
    asks_reason: bool = False
    blocked: list[str] = field(default_factory=list)  # unmet guards, in words

    @property
    def enabled(self) -> bool:
        return not self.blocked


class TransitionError(ValidationError):
    """A refused transition; carries a machine-readable code."""


class Workflow:
    """The transitions over one status field of one model."""

    def __init__(self, transitions: Iterable[Transition], status_field: str = "status"):
        self.status_field = status_field
        self._by_pair: dict[tuple[str, str], Transition] = {}
        for t in transitions:
            for source in t.sources:
                if (source, t.target) in self._by_pair:
                    raise ImproperlyConfigured(f"two transitions {source} → {t.target}")
                self._by_pair[(source, t.target)] = t

    def transitions(self) -> list[Transition]:
        return list(dict.fromkeys(self._by_pair.values()))

    def transitions_from(self, state: str) -> list[Transition]:
        return [t for (source, _target), t in self._by_pair.items() if source == state]

    def _permitted(self, transition: Transition, actor, obj) -> bool:
        return is_system(actor) or transition.permitted(get_scope(actor), obj)

    def allowed_for(self, obj: models.Model, user) -> list[Transition]:
        """Transitions the user may take now (guards not yet checked)."""
        state = getattr(obj, self.status_field)
        return [t for t in self.transitions_from(state) if self._permitted(t, user, obj)]

    def is_final(self, state: str) -> bool:
        """A state no transition leaves: reaching it cannot be undone on the platform."""
        return not self.transitions_from(state)

    def confirmation(self, transition: Transition):
        """The question asked before `transition`: its own, or, for a step into a final
        state, a default one (so no irreversible step is a single click)."""
        if transition.confirm:
            return transition.confirm
        if self.is_final(transition.target):
            return _("“%(step)s” cannot be undone. Continue?") % {
                "step": transition.label or transition.target}
        return ""

    def buttons(self, obj: models.Model, user) -> list[Button]:
        """Buttons for the steps `user` may take on `obj`, each saying what still blocks it."""
        buttons = []
        for t in self.allowed_for(obj, user):
            blocked = []
            refusal = t.four_eyes.refusal(obj, user) if t.four_eyes else None
            if refusal is not None:
                blocked.extend(refusal.messages)
            for guard in t.guards:
                try:
                    guard(obj)
                except ValidationError as exc:
                    blocked.extend(exc.messages)
            buttons.append(Button(target=t.target, label=t.label, style=t.style,
                                  needs_reason=t.needs_reason, confirm=self.confirmation(t),
                                  asks_reason=t.asks_reason or t.needs_reason,
                                  blocked=blocked))
        return buttons

    def check(self, obj: models.Model, target: str, *, actor, reason: str = "") -> Transition:
        """Return the transition or raise TransitionError/ValidationError with a code."""
        state = getattr(obj, self.status_field)
        transition = self._by_pair.get((state, target))
        if transition is None:
            raise TransitionError(
                _("Cannot move from “%(source)s” to “%(target)s”.")
                % {"source": _label(obj, self.status_field, state),
                   "target": _label(obj, self.status_field, target)},
                code="illegal_transition",
            )
        if not self._permitted(transition, actor, obj):
            raise TransitionError(
                _("You are not allowed to take this step."), code="transition_forbidden"
            )
        if transition.needs_reason and not (reason or "").strip():
            raise TransitionError(_("A reason is required for this step."), code="reason_required")
        refusal = transition.four_eyes.refusal(obj, actor) if transition.four_eyes else None
        if refusal is not None:
            raise refusal
        for guard in transition.guards:
            guard(obj)
        return transition

    def transition(self, obj: models.Model, target: str, *, actor, reason: str = "",
                   data: dict | None = None, locked: bool = False) -> Transition:
        """Take one step: lock → check → effects → save → event, in one transaction.

        `locked=True` when the caller already holds the row lock (it loaded `obj` with
        select_for_update in this transaction). Otherwise the row is locked here and a status
        that moved since `obj` was read is a conflict (409), never a silent overwrite.
        """
        from tmhub.core.conflicts import ConflictError

        with transaction.atomic():
            if not locked and obj.pk is not None:
                current = (type(obj)._base_manager.select_for_update()
                           .filter(pk=obj.pk).values_list(self.status_field, flat=True).first())
                if current != getattr(obj, self.status_field):
                    raise ConflictError()
            transition = self.check(obj, target, actor=actor, reason=reason)
            source = getattr(obj, self.status_field)
            step = Step(obj=obj, transition=transition, actor=actor, reason=reason or "",
                        data=dict(data or {}), source=source)
            setattr(obj, self.status_field, target)
            for effect in transition.effects:
                effect(step)
            with _status_writable():
                obj.save()
            record_event(
                actor=actor, obj=obj, event_type=transition.event_type, from_state=source,
                to_state=target, reason=reason, data=step.data,
            )
        return transition

    def set_initial(self, obj: models.Model, state: str) -> None:
        """Set the status of a record not yet saved (creation is not a transition)."""
        if obj.pk is not None and getattr(obj, "_workflow_loaded", None):
            raise ProtectedStatusError("set_initial is for unsaved records")
        setattr(obj, self.status_field, state)


def _label(obj, field_name, value):
    field_ = obj._meta.get_field(field_name)
    return dict(field_.flatchoices).get(value, value)
