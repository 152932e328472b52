"""Keeping the dashboard's running totals (`DashboardFigure`) equal to the records.

A trainee's *contribution* to the totals is computed from their own rows (trained-manager
summary, enrolments, credited attendance) with the same attribution expressions the
dashboard scopes by (population.py). A write that may change what a trainee contributes runs
inside a tracker: before anything of that trainee changes, `watch(ids)` computes their
contribution (locking their user rows so that concurrent writers of the same trainee queue
up); when the outermost service returns, their contribution is computed again and the
difference is added to the totals, in the same transaction. So corrections, withdrawals,
revocations and profile edits in the talent pool all move the totals by exactly what they
change, and `rebuild()` (everything recomputed) must always give the same table.

Services are decorated with `@tracked` (inside `@transaction.atomic`) and call `watch()`
before they change a trainee's enrolments, attendance or summary; `watch()` outside a
tracker is a programming error. Changes in other apps arrive on the event bus, after the write
(subscriptions.py): there the contribution "before" is recomputed from the audit snapshot of
the record as it was (`restate(ids, was)`), and the difference is booked in the writer's
transaction all the same.
"""

from __future__ import annotations

import contextvars
import functools
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, IntegerField, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tmhub.training.choices import CREDITED_ATTENDANCE
from tmhub.training.dashboard.population import (
    ProfileAsWas,
    district_expr,
    employer_expr,
    has_profiles,
    kind_expr,
    route_expr,
)
from tmhub.training.models import Attendance, DashboardFigure, Enrolment, TrainedManager
from tmhub.training.models import FigureMetric as M

_active: contextvars.ContextVar[Tracker | None] = contextvars.ContextVar(
    "training_figures_tracker", default=None)
CELL = ("metric", "district", "kind", "employer", "route", "key")


def _zone():
    return timezone.get_default_timezone() if settings.USE_TZ else None


def _month_key(value) -> str:
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value, _zone())
    return value.strftime("%Y-%m")


def _specs(was=None):
    """(metric, queryset, prefix, key expressions, value aggregate, with route) per total."""
    zone = _zone()
    count = Count("pk")
    trained = TrainedManager.objects.all()
    specs = [
        (M.TRAINED_BY_LEVEL, trained, "", {"k1": F("highest_level")}, count, True),
        (M.TRAINED_BY_MONTH, trained, "",
         {"k1": TruncMonth("first_certified_at", tzinfo=zone)}, count, False),
        (M.ENROLMENTS_BY_MONTH, Enrolment.objects.all(), "",
         {"k1": TruncMonth("created_at", tzinfo=zone)}, count, False),
        (M.ENROLMENTS_BY_STATUS, Enrolment.objects.all(), "",
         {"k1": F("cohort__programme__level"), "k2": F("status")}, count, False),
        (M.HOURS_BY_MONTH, Attendance.objects.filter(status__in=CREDITED_ATTENDANCE),
         "enrolment__", {"k1": TruncMonth("session__date")}, Sum("hours"), False),
    ]
    if has_profiles():
        # A profile as it was is not in the database: its fields are spread out in Python.
        field = Value(None, output_field=IntegerField()) if isinstance(was, ProfileAsWas) else F(
            "trainee__manager_profile__fields")
        specs.append((M.TRAINED_BY_FIELD, trained, "", {"k1": field}, count, False))
    return specs


def _key(metric, row) -> str:
    value = row["k1"]
    if metric in (M.TRAINED_BY_MONTH, M.ENROLMENTS_BY_MONTH, M.HOURS_BY_MONTH):
        return _month_key(value)
    if metric == M.ENROLMENTS_BY_STATUS:
        return f"{value or ''}:{row['k2']}"
    return "" if value is None else str(value)


def contributions(trainee_ids=None, was=None) -> dict[tuple, Decimal]:
    """The totals that the given trainees' records make up (all trainees: None); with `was`
    (population.ProfileAsWas of these trainees, or OrganizationAsWas), what they made up
    before that profile or organisation changed."""
    totals: dict[tuple, Decimal] = defaultdict(Decimal)
    if trainee_ids is not None and not trainee_ids:
        return totals
    for metric, queryset, prefix, keys, aggregate, with_route in _specs(was):
        if trainee_ids is not None:
            queryset = queryset.filter(**{f"{prefix}trainee_id__in": list(trainee_ids)})
        dims = {"_d": district_expr(prefix, was), "_k": kind_expr(prefix, was),
                "_e": employer_expr(prefix, was), **keys}
        if with_route:
            dims["_r"] = route_expr(prefix, was)
        rows = queryset.annotate(**dims).values(*dims).annotate(_v=aggregate).order_by()
        for row in rows:
            for key in _keys_as_was(metric, row, was):
                cell = (str(metric), row["_d"] or 0, row["_k"] or "", row["_e"] or 0,
                        row.get("_r") or "", key)
                totals[cell] += Decimal(row["_v"] or 0)
    return totals


def _keys_as_was(metric, row, was) -> list[str]:
    """The row's key; for the field breakdown of a profile as it was, one per field it had."""
    if metric == M.TRAINED_BY_FIELD and isinstance(was, ProfileAsWas):
        return [str(i) for i in was.field_ids] if was.exists and was.field_ids else [""]
    return [_key(metric, row)]


def book(deltas: dict[tuple, Decimal]) -> None:
    """Add the non-zero deltas to the totals (insert or increment, race-free)."""
    rows = [(*cell, value) for cell, value in deltas.items() if value]
    if not rows:
        return
    table = connection.ops.quote_name(DashboardFigure._meta.db_table)
    columns = ", ".join(CELL)
    sql = (f"INSERT INTO {table} ({columns}, value) VALUES (%s, %s, %s, %s, %s, %s, %s) "
           f"ON CONFLICT ({columns}) DO UPDATE SET value = {table}.value + excluded.value")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*r[:6], str(r[6])) for r in rows])


def rebuild() -> int:
    """Recompute every total from the records (migration, bench, repair); returns rows."""
    totals = contributions(None)
    DashboardFigure.objects.all().delete()
    DashboardFigure.objects.bulk_create(
        [DashboardFigure(**dict(zip(CELL, cell, strict=True)), value=value)
         for cell, value in totals.items() if value], batch_size=2000)
    return len(totals)


def stored() -> dict[tuple, Decimal]:
    """The totals as kept (non-zero cells), to compare with `contributions()`."""
    return {tuple(row[:6]): row[6] for row in
            DashboardFigure.objects.exclude(value=0).values_list(*CELL, "value")}


def _lock(trainee_ids) -> None:
    """One writer per trainee at a time: the second waits here, then sees the first's rows (its
    "before" includes them), so concurrent changes are never counted twice. Profiles first,
    then users: the order a talent-pool edit takes them in (it holds the profile when its
    event arrives here), so the two never deadlock."""
    if not connection.in_atomic_block:
        return
    from tmhub.accounts.models import User

    ids = sorted(trainee_ids)
    if has_profiles():
        from tmhub.talent.models import ManagerProfile

        list(ManagerProfile.objects.select_for_update().filter(user_id__in=ids)
             .order_by("user_id").values_list("pk", flat=True))
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk")
         .values_list("pk", flat=True))


def restate(trainee_ids, was) -> None:
    """Book what a change made outside training moved (in the writer's transaction, after the
    write): the trainees' contributions now, less what they contributed when their profile or
    organisation was as `was` says. Trainees a running tracker already watches are left to it
    (its "before" was taken before the change)."""
    active = _active.get()
    ids = {int(i) for i in trainee_ids if i is not None} - (active.ids if active else set())
    if not ids:
        return
    _lock(ids)
    deltas = contributions(ids)
    for cell, value in contributions(ids, was).items():
        deltas[cell] = deltas.get(cell, Decimal(0)) - value
    book(deltas)


class Tracker:
    """Contributions of watched trainees before the change; `finish` books the difference."""

    def __init__(self):
        self.ids: set[int] = set()
        self.before: dict[tuple, Decimal] = {}

    def add(self, trainee_ids) -> None:
        new = {int(i) for i in trainee_ids if i is not None} - self.ids
        if not new:
            return
        _lock(new)
        for cell, value in contributions(new).items():
            self.before[cell] = self.before.get(cell, Decimal(0)) + value
        self.ids |= new

    def finish(self) -> None:
        after = contributions(self.ids)
        deltas = dict(after)
        for cell, value in self.before.items():
            deltas[cell] = deltas.get(cell, Decimal(0)) - value
        book(deltas)


def watch(trainee_ids) -> None:
    """Call before changing anything these trainees contribute (inside `@tracked`)."""
    active = _active.get()
    if active is None:
        raise RuntimeError("training figures: watch() outside a tracked service")
    active.add(trainee_ids)


@contextmanager
def tracking(trainee_ids=()):
    """Run a block as one tracked change (nested blocks join the outermost)."""
    active = _active.get()
    if active is not None:
        active.add(trainee_ids)
        yield active
        return
    tracker = Tracker()
    token = _active.set(tracker)
    try:
        tracker.add(trainee_ids)
        yield tracker
    finally:
        _active.reset(token)
    tracker.finish()  # only reached when the block succeeded


def tracked(function):
    """Decorate a service (inside its `@transaction.atomic`) whose writes call `watch()`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with tracking():
            return function(*args, **kwargs)

    return wrapper
