"""Audit trail helpers: called explicitly by services inside their transaction.

Two layers (ARCHITECTURE §4): `record_change` writes a before/after ObjectChange for a record;
`record_event` writes a typed WorkflowEvent. Fields named in a model's `AUDIT_EXCLUDE` (such as
protected ID numbers) are never copied into the log.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tmhub.core.models import ObjectChange, WorkflowEvent

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


def record_change(*, actor, obj: models.Model, action: str, before: dict | None) -> ObjectChange:
    """Write one ObjectChange. `before` is a snapshot taken before the change (None on create)."""
    after = None if action == ObjectChange.Action.DELETE else snapshot(obj)
    return ObjectChange.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
    )


def record_event(
    *, actor, obj: models.Model, event_type: str, from_state: str = "", to_state: str = "",
    reason: str = "", data: dict | None = None,
) -> WorkflowEvent:
    """Write one typed WorkflowEvent about `obj`."""
    return WorkflowEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        event_type=str(event_type),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        data=data or {},
    )


def history_for(obj: models.Model):
    """Changes and workflow events of one record, newest first, for its detail page."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    changes = ObjectChange.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related(
        "actor"
    )
    events = WorkflowEvent.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related(
        "actor"
    )
    return changes, events
