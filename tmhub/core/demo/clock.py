"""The demo's history on the days it happened.

The services stamp "now": a demo seeded today would show four years of work all done this
afternoon, every workflow step and change at the same minute. The seeders therefore run each
step inside ``happened(day)``, which moves what the step wrote back to that day afterwards:

    with clock.happened(disclosed_on, achievement):
        services.publish_achievement(achievement, actor=chief)

Moved are the audit rows (changes and workflow events) and notifications the block wrote, and
the timestamps of the records named (their created, updated, published, decided … times) that
the block set; ``backdate(record, day)`` does the same for a record the block created. Rows
are moved with ``QuerySet.update`` (no signal, no audit row): the demo rewrites its own
invented past, which no person did. Seeders must step forward in time, as a record's own dates
do. A day in the future is left alone (the services' "now" stands).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from django.db import models
from django.db.models import Max
from django.utils import timezone

BEIJING_WORKDAY_HOUR = 10


def moment(day, *, minute: int = 0) -> datetime.datetime:
    """An aware time on `day` (a date, or a datetime kept as it is), in office hours, Beijing."""
    if isinstance(day, datetime.datetime):
        return day
    start = datetime.datetime.combine(day, datetime.time(BEIJING_WORKDAY_HOUR))
    return timezone.make_aware(start) + datetime.timedelta(minutes=minute)


def _audit_models():
    from tmhub.core.models import Notification, ObjectChange, WorkflowEvent

    return ((ObjectChange, "time"), (WorkflowEvent, "time"), (Notification, "created_at"))


@contextmanager
def happened(day, *records, minute: int = 0):
    """Run the block, then date what it wrote at `day` (see the module docstring)."""
    when = moment(day, minute=minute)
    if when > timezone.now():  # the future has not happened: leave the services' "now"
        yield
        return
    marks = {m: m.objects.aggregate(top=Max("pk"))["top"] or 0 for m, _ in _audit_models()}
    yield
    for model, field in _audit_models():
        model.objects.filter(pk__gt=marks[model]).update(**{field: when})
    for record in records:
        backdate(record, when)


def backdate(record, day) -> None:
    """Move `record`'s times later than `day` back to it, and its dates set to today (a
    landing date, an assignment's start) to its date: the record was written on `day`."""
    when = moment(day)
    if when > timezone.now():
        return
    model, today = type(record), timezone.localdate()
    rows = model._base_manager.filter(pk=record.pk)
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            rows.filter(**{f"{field.attname}__gt": when}).update(**{field.attname: when})
        elif isinstance(field, models.DateField) and when.date() < today:
            rows.filter(**{field.attname: today}).update(**{field.attname: when.date()})
