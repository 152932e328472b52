"""KPI actual values and attainment (issue 15 item 2 and 4).

A KPI whose type names a `source` metric is counted from the pilot's linked records (all of
them up to today); any other is the value reported with evidence. Attainment is actual ÷
target; the overall figure weighs each KPI's attainment, capped at 100% so one KPI far above
its target does not hide another one missed."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tmhub.core import metrics
from tmhub.pilots.choices import PilotResult

ATTAINED = Decimal(100)
PARTLY = Decimal(60)  # at least this overall: partly attained
ONE_DECIMAL = Decimal("0.1")


def actual_values(kpis) -> dict[int, Decimal | None]:
    """{kpi id: actual value in the KPI's unit} for many KPIs: one query per linked source.
    A reported KPI without a report is None."""
    kpis = list(kpis)
    period = metrics.Period(datetime.date(1900, 1, 1), timezone.localdate())
    by_source: dict[str, set[int]] = defaultdict(set)
    for kpi in kpis:
        if kpi.kpi_type.source:
            by_source[kpi.kpi_type.source].add(kpi.pilot_id)
    counted = {source: metrics.get(source).values(ids, period)
               for source, ids in by_source.items()}
    values = {}
    for kpi in kpis:
        kind = kpi.kpi_type
        if kind.source:
            raw = Decimal(counted[kind.source][kpi.pilot_id])
            values[kpi.pk] = (raw / kind.fen_per_unit if kind.fen_per_unit else raw).quantize(
                Decimal("0.01"), ROUND_HALF_UP)
        else:
            values[kpi.pk] = kpi.reported_value
    return values


def attainment(actual: Decimal | None, target: Decimal) -> Decimal:
    if actual is None or not target:
        return Decimal(0).quantize(ONE_DECIMAL)
    return (Decimal(actual) * 100 / Decimal(target)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def overall(pairs) -> Decimal | None:
    """Weighted attainment of (weight, attainment) pairs, each capped at 100%."""
    pairs = list(pairs)
    weights = sum(w for w, _a in pairs)
    if not weights:
        return None
    total = sum(Decimal(w) * min(a, ATTAINED) for w, a in pairs)
    return (total / weights).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def result_for(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value >= ATTAINED:
        return PilotResult.ATTAINED
    return PilotResult.PARTLY if value >= PARTLY else PilotResult.NOT_ATTAINED


def progress(pilot) -> tuple[list, Decimal | None]:
    """[(kpi, actual, attainment)] and the weighted overall, as of today (or as frozen)."""
    kpis = list(pilot.kpis.select_related("kpi_type"))
    if pilot.closed_on:
        rows = [(k, k.final_value, k.attainment) for k in kpis]
        return rows, pilot.overall_attainment
    actual = actual_values(kpis)
    rows = [(k, actual[k.pk], attainment(actual[k.pk], k.target)) for k in kpis]
    return rows, overall((k.weight, a) for k, _v, a in rows)


def close_out(pilot, *, actor=None) -> None:
    """Freeze each KPI's value and attainment and the pilot's overall figure and result (the
    caller saves the pilot; each KPI is saved and audited here)."""
    from tmhub.core.audit import record_change, snapshot
    from tmhub.core.models import ObjectChange

    kpis = list(pilot.kpis.select_related("kpi_type"))
    actual = actual_values(kpis)
    for kpi in kpis:
        before = snapshot(kpi)
        kpi.final_value = actual[kpi.pk] if actual[kpi.pk] is not None else Decimal(0)
        kpi.attainment = attainment(actual[kpi.pk], kpi.target)
        kpi.save(update_fields=["final_value", "attainment", "updated_at"])
        if actor is not None:
            record_change(actor=actor, obj=kpi, action=ObjectChange.Action.UPDATE,
                          before=before, related=pilot)
    pilot.overall_attainment = overall((k.weight, k.attainment) for k in kpis)
    pilot.result = result_for(pilot.overall_attainment)
