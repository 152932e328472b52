"""Audit trail helpers: called explicitly by services inside their transaction.

Two layers (ARCHITECTURE §4): `record_change` writes a before/after ObjectChange for a record;
`record_event` writes a typed WorkflowEvent. Fields named in a model's `AUDIT_EXCLUDE` (such as
protected ID numbers) are never copied into the log. Each row carries the current operation id
(tmhub.core.operations), the actor's name and, optionally, the record it belongs with
(`related`); each also publishes its event on the bus (tmhub.core.events), which is how other
apps learn of the change.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from tmhub.core import events
from tmhub.core.actors import actor_name, actor_user
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.operations import current_operation_id, new_operation_id

MASKED = "******"


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (bytes, memoryview)):
        return "<binary>"
    return value


def snapshot(obj: models.Model) -> dict:
    """A JSON-serialisable dict of the record's concrete fields and many-to-many ids."""
    excluded = set(getattr(obj, "AUDIT_EXCLUDE", ()))
    data = {}
    for f in obj._meta.concrete_fields:
        key = f.attname
        if f.name in excluded:
            data[f.name] = MASKED
            continue
        value = getattr(obj, key)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.name if not f.is_relation else f.name] = _plain(value)
    if obj.pk is not None:
        for f in obj._meta.many_to_many:
            if f.name in excluded:
                continue
            data[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return data


def _common(actor, obj, related) -> dict:
    row = {
        "actor": actor_user(actor),
        "actor_name": actor_name(actor),
        "operation_id": current_operation_id() or new_operation_id(),
        "content_type": ContentType.objects.get_for_model(obj, for_concrete_model=False),
        "object_id": str(obj.pk),
    }
    if related is not None:
        row["related_content_type"] = ContentType.objects.get_for_model(
            related, for_concrete_model=False)
        row["related_object_id"] = str(related.pk)
    return row


def changed_fields(before: dict | None, after: dict | None) -> frozenset[str]:
    before, after = before or {}, after or {}
    return frozenset(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def record_change(*, actor, obj: models.Model, action: str, before: dict | None,
                  related: models.Model | None = None) -> ObjectChange:
    """Write one ObjectChange and publish it. `before` is a snapshot taken before the change
    (None on create); `related` is the record this change belongs with, if any."""
    after = None if action == ObjectChange.Action.DELETE else snapshot(obj)
    change = ObjectChange.objects.create(
        **_common(actor, obj, related), action=action, object_repr=str(obj)[:200],
        before=before, after=after,
    )
    events.publish(events.ObjectChanged(
        model=obj._meta.label_lower, pk=str(obj.pk), actor_id=change.actor_id,
        operation_id=change.operation_id, action=str(action), before=before, after=after,
        changed=changed_fields(before, after),
    ))
    return change


def record_event(
    *, actor, obj: models.Model, event_type: str, from_state: str = "", to_state: str = "",
    reason: str = "", data: dict | None = None, related: models.Model | None = None,
) -> WorkflowEvent:
    """Write one typed WorkflowEvent about `obj` and publish it."""
    event = WorkflowEvent.objects.create(
        **_common(actor, obj, related), event_type=str(event_type),
        from_state=str(from_state or ""), to_state=str(to_state or ""), reason=reason or "",
        data=data or {},
    )
    events.publish(events.WorkflowStepped(
        model=obj._meta.label_lower, pk=str(obj.pk), actor_id=event.actor_id,
        operation_id=event.operation_id, event_type=event.event_type,
        from_state=event.from_state, to_state=event.to_state, data=event.data,
    ))
    return event


def history_for(obj: models.Model):
    """Changes and workflow events of one record and of the rows recorded as belonging with
    it, newest first, for its detail page."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    own = Q(content_type=ct, object_id=str(obj.pk)) | Q(
        related_content_type=ct, related_object_id=str(obj.pk))
    changes = ObjectChange.objects.filter(own).select_related("actor", "content_type")
    workflow_events = WorkflowEvent.objects.filter(own).select_related("actor", "content_type")
    return changes, workflow_events
