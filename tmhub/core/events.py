"""The one event bus: what other apps do when a record changes or a workflow takes a step.

Every write already records itself (`tmhub.core.audit.record_change` / `record_event`, in the
service's transaction). Those two functions also publish a typed event here; subscribers run
once the transaction commits, so they never see a write that is later rolled back, and a
subscriber's failure cannot undo the user's change. Subscriptions live in each app's
``subscriptions.py`` (imported when Django starts, like ``policies.py``):

    @subscribe(ObjectChanged, model="talent.ManagerProfile")
    def reindex_manager(event):
        ...

    @subscribe(WorkflowStepped, model="transfer.Project", event_type="transfer.stage_changed")
    def ...

Zulip sends its events after commit from its actions (`send_event_on_commit`); Django's model
signals fire inside `save()` for every caller, bulk paths skip them and they cannot see the
business step that caused a save, which is why TM Hub does not use them for business logic.
A subscriber that needs the old values reads `event.before` (the audit snapshot), not the
database. `when=IN_TRANSACTION` runs a subscriber inside the writer's transaction instead, for
summary figures that must commit or roll back with the write itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction

log = logging.getLogger(__name__)

ON_COMMIT = "on_commit"
IN_TRANSACTION = "in_transaction"


@dataclass(frozen=True)
class Event:
    """Base: which record (`model` is the app label and model name, lower case) and who."""

    model: str
    pk: str
    actor_id: int | None
    operation_id: str

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def int_pk(self) -> int:
        return int(self.pk)


@dataclass(frozen=True)
class ObjectChanged(Event):
    """A record was created, updated or deleted; `changed` names the fields whose value moved."""

    action: str = ""
    before: dict | None = None
    after: dict | None = None
    changed: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class WorkflowStepped(Event):
    """A typed workflow event: a transition (from_state → to_state) or a recorded step."""

    event_type: str = ""
    from_state: str = ""
    to_state: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Subscription:
    event_class: type[Event]
    handler: Callable[[Event], None]
    model: str | None
    event_types: frozenset[str]
    fields: frozenset[str]
    when: str

    def wants(self, event: Event) -> bool:
        if not isinstance(event, self.event_class):
            return False
        if self.model is not None and event.model != self.model:
            return False
        if self.event_types and getattr(event, "event_type", None) not in self.event_types:
            return False
        if self.fields and isinstance(event, ObjectChanged) and event.action == "update":
            return bool(self.fields & event.changed)
        return True


_SUBSCRIPTIONS: list[Subscription] = []


def _label(model) -> str | None:
    if model is None:
        return None
    if isinstance(model, str):
        app_label, _dot, name = model.partition(".")
        return f"{app_label}.{name}".lower()
    return model._meta.label_lower


def subscribe(event_class: type[Event], *, model=None, event_type=None, fields=(),
              when: str = ON_COMMIT):
    """Decorator: call the function with every matching event.

    `model`: a model class or "app_label.ModelName"; `event_type`: one type or several (for
    WorkflowStepped); `fields`: for updates, only when one of these fields changed.
    """
    if when not in (ON_COMMIT, IN_TRANSACTION):
        raise ValueError(when)
    types = (event_type,) if isinstance(event_type, str) else tuple(event_type or ())

    def decorator(handler):
        subscription = Subscription(
            event_class=event_class, handler=handler, model=_label(model),
            event_types=frozenset(str(t) for t in types), fields=frozenset(fields), when=when,
        )
        if subscription not in _SUBSCRIPTIONS:
            _SUBSCRIPTIONS.append(subscription)
        return handler

    return decorator


def subscriptions() -> list[Subscription]:
    return list(_SUBSCRIPTIONS)


def _run(subscription: Subscription, event: Event) -> None:
    try:
        subscription.handler(event)
    except Exception:
        # The writer's change stands; a broken subscriber is logged, and the suite re-raises so
        # it cannot hide (EVENTS_RAISE_SUBSCRIBER_ERRORS in the test settings).
        if getattr(settings, "EVENTS_RAISE_SUBSCRIBER_ERRORS", False):
            raise
        log.exception("subscriber %s failed on %r", subscription.handler.__qualname__, event)


def publish(event: Event) -> None:
    """Hand `event` to its subscribers: in-transaction ones now, the others on commit."""
    for subscription in _SUBSCRIPTIONS:
        if not subscription.wants(event):
            continue
        if subscription.when == IN_TRANSACTION:
            subscription.handler(event)  # its failure rolls the write back, as it must
        else:
            transaction.on_commit(lambda s=subscription: _run(s, event))
