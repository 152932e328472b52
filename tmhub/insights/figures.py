"""The platform's figures for the plan, read from the metrics registry (tmhub.core.metrics).

The registry is read when asked, so the figures of modules that register their metrics later
appear without this module importing them. A figure is a metric's value over every subject of
its kind (every technology manager, every organisation) for a period; a metric whose subjects
this module cannot list is left out, not guessed.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.insights.choices import Aggregation


def subject_ids(subject: str) -> list[int] | None:
    """Every subject of a metric's kind, or None for a kind this module does not know."""
    if subject == metrics.MANAGER:
        from tmhub.talent.models import ManagerProfile

        return list(ManagerProfile.objects.order_by().values_list("user_id", flat=True))
    if subject == "institution":
        from tmhub.orgs.models import Organization

        return list(Organization.objects.order_by().values_list("pk", flat=True))
    if subject == "district":
        from tmhub.core.models import District

        return list(District.objects.order_by().values_list("pk", flat=True))
    return None


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def aggregate(metric, period: Period, aggregation: str = Aggregation.SUM):
    """One city figure of `metric` over `period` (None when its subjects are unknown)."""
    ids = subject_ids(metric.subject)
    if ids is None:
        return None
    values = metric.found_among(ids, period)
    if aggregation == Aggregation.COUNT_POSITIVE:
        return sum(1 for v in values.values() if v > 0)
    return _plain(sum(values.values(), metric.zero()))


def city_figures(start: datetime.date, end: datetime.date) -> list[dict]:
    """Every registered figure the platform can total, over [start, end]: what a report pulls
    as of its period's end (records dated after `end` do not count)."""
    period = Period(start, end)
    rows = []
    for metric in metrics.all_metrics():
        value = aggregate(metric, period)
        if value is None:
            continue
        rows.append({"key": metric.key, "unit": metric.unit, "value": value})
    return rows


def target_progress(target, today: datetime.date) -> dict:
    """A target's figure over the plan's period up to today (or its due day, if earlier)."""
    plan = target.plan
    end = min(today, target.due_on, plan.end)
    try:
        metric = metrics.get(target.metric_key)
    except LookupError:
        return {"target": target, "value": None, "as_of": end, "percent": None}
    value = aggregate(metric, Period(plan.start, end), target.aggregation) if end >= plan.start \
        else 0
    percent = (round(100 * value / target.target_value) if value is not None
               and target.target_value else None)
    return {"target": target, "value": value, "as_of": end, "percent": percent,
            "met": value is not None and value >= target.target_value,
            "final": today > target.due_on}


def quarters(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar quarters of [start, end] (cut to it), in order."""
    found = []
    year, q = start.year, (start.month - 1) // 3
    while True:
        q_start = datetime.date(year, 3 * q + 1, 1)
        nxt = datetime.date(year + (q == 3), 3 * ((q + 1) % 4) + 1, 1)
        q_end = nxt - datetime.timedelta(days=1)
        if q_start > end:
            return found
        found.append((max(q_start, start), min(q_end, end)))
        year, q = (year + 1, 0) if q == 3 else (year, q + 1)
