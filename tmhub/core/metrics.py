"""Figures defined once: a registry of set-based metrics over managers (and other subjects).

A metric is a function `(subject_ids, period) -> {subject_id: value}` that computes one
figure for a whole set of subjects in a constant number of queries (a GROUP BY, never a loop
of per-person queries). Each app defines its figures in its ``metrics.py`` with `@metric`;
the annual filing pre-fill, matching's track record and, later, evaluation, dashboards and
reports read them here, so "a deal" or "training hours" means the same thing on every page.

    @metric("transfer_deals", label=_("Deals"), unit=COUNT, tags={FILING},
            definition=_("A project that reached the transaction or landing stage …"))
    def deals(subject_ids, period): ...

Subjects are user ids unless a metric says otherwise (`subject`). Missing subjects get zero.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

COUNT = "count"
FEN = "fen"  # money, in fen (1/100 yuan), as an int
HOURS = "hours"  # class hours, Decimal
SCORE = "score"

MANAGER = "manager"  # subject ids are users' ids

FILING = "annual_filing"  # tag: pre-filled on the annual filing form


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end], read as the records stood at the end of `as_of`.

    Records count by their own date (a contract by its signing day, a receipt by the day the
    money came in). `as_of` (a rating round's cut-off) fixes the *status* of records whose
    history is kept — an approval, a reversal, a release, a revocation — at the end of that
    day, so a financing approved, a receipt reversed or a rating released later leaves the
    figure as it was, and a re-run gives the same answer. None: as the records stand now."""

    start: datetime.date
    end: datetime.date
    as_of: datetime.date | None = None

    def known_by(self, field: str):
        """Q: the history timestamp `field` (a datetime) was reached by `as_of` (always true
        without one; a null timestamp is never reached)."""
        from django.db.models import Q

        if self.as_of is None:
            return Q(**{f"{field}__isnull": False})
        return Q(**{f"{field}__date__lte": self.as_of})

    def today(self) -> datetime.date:
        """The day statuses are read on: `as_of`, or today."""
        if self.as_of is not None:
            return self.as_of
        from django.utils import timezone

        return timezone.localdate()

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Metric:
    key: str
    label: object  # lazy translatable
    unit: str
    compute: Callable[[list[int], Period], dict]
    subject: str = MANAGER
    tags: frozenset[str] = field(default_factory=frozenset)
    definition: object = ""
    order: int = 100

    def zero(self):
        return Decimal(0) if self.unit == HOURS else 0

    def values(self, subject_ids: Iterable[int], period: Period) -> dict:
        """{id: value} for every id asked about (zero where the metric found nothing)."""
        ids = sorted({int(i) for i in subject_ids})
        found = self.compute(ids, period) if ids else {}
        zero = self.zero()
        # A metric may return more subjects than asked (see `among`): only the asked ones count.
        return {i: found.get(i, zero) or zero for i in ids}

    def found_among(self, subject_ids: Iterable[int], period: Period) -> dict:
        """{id: value} for the ids asked about that have a figure: `values` without the
        zeros, for totals over a whole pool (100,000 managers) where building a zero for
        every subject costs more than the query."""
        wanted = {int(i) for i in subject_ids}
        found = self.compute(sorted(wanted), period) if wanted else {}
        return {i: v for i, v in found.items() if i in wanted and v}

    def total(self, subject_ids: Iterable[int], period: Period):
        return sum(self.values(subject_ids, period).values(), self.zero())


# Above this many subjects a metric reads every row and keeps the ids asked for: still one
# query, and it stays inside SQLite's limit on bound parameters (32,766) and PostgreSQL's
# planner's comfort when the whole pool (100,000 managers) is asked about at once.
IN_LIST_LIMIT = 2000


def among(queryset, field: str, ids: list[int]):
    """`queryset` cut to rows whose `field` is one of `ids` (or every row, for large sets:
    `Metric.values` keeps only the ids asked for)."""
    return queryset.filter(**{f"{field}__in": ids}) if len(ids) <= IN_LIST_LIMIT else queryset


_REGISTRY: dict[str, Metric] = {}


def metric(key: str, *, label, unit: str, subject: str = MANAGER, tags: Iterable[str] = (),
           definition="", order: int = 100):
    """Decorator registering a set-based figure under `key` (keys are stored in filings: keep
    them stable)."""

    def decorator(compute):
        existing = _REGISTRY.get(key)
        if existing is not None and existing.compute is not compute and (
                existing.compute.__qualname__ != compute.__qualname__):
            raise ImproperlyConfigured(f"metric '{key}' is defined twice")
        _REGISTRY[key] = Metric(key=key, label=label, unit=unit, compute=compute,
                                subject=subject, tags=frozenset(tags),
                                definition=definition, order=order)
        return compute

    return decorator


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"no metric '{key}'") from None


def tagged(tag: str) -> list[Metric]:
    """Metrics carrying `tag`, in display order."""
    return sorted((m for m in _REGISTRY.values() if tag in m.tags),
                  key=lambda m: (m.order, m.key))


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: (m.order, m.key))


def compute(keys: Iterable[str], subject_ids: Iterable[int], period: Period) -> dict:
    """{key: {id: value}} for several metrics over the same subjects and period."""
    ids = list(subject_ids)
    return {key: get(key).values(ids, period) for key in keys}
