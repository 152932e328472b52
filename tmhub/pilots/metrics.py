"""The pilots' figures in the metrics registry (tmhub.core.metrics).

Per pilot (subject "pilot"): what its linked contracts deliver, which the KPI types name as
their `source`, so a contract linked to a pilot counts toward its KPI at once. Per manager: the
pilots they manage (each pilot once, however many assignments) and the weighted KPI attainment
of the pilots they managed to close-out, which the social evaluation reads."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import COUNT, FEN, SCORE, among, metric

PILOT = "pilot"


def _links(ids, period):
    from tmhub.pilots.models import Pilot

    return among(Pilot.contracts.through.objects, "pilot_id", ids).filter(
        contract__signed_on__range=(period.start, period.end))


@metric("pilot_contracts_signed", label=_("Linked contracts signed"), unit=COUNT,
        subject=PILOT, order=400,
        definition=_("Technology contracts linked to the pilot and signed in the period."))
def contracts_signed(ids, period):
    rows = _links(ids, period).values("pilot_id").annotate(n=Count("contract_id"))
    return {r["pilot_id"]: r["n"] for r in rows}


@metric("pilot_contract_value", label=_("Amount of linked contracts"), unit=FEN,
        subject=PILOT, order=401,
        definition=_("Sum of the amounts of the contracts linked to the pilot and signed in "
                     "the period, in fen."))
def contract_value(ids, period):
    rows = _links(ids, period).values("pilot_id").annotate(total=Sum("contract__amount_fen"))
    return {r["pilot_id"]: r["total"] or 0 for r in rows}


@metric("pilot_contract_income", label=_("Money received on linked contracts"), unit=FEN,
        subject=PILOT, order=402,
        definition=_("Receipts (net of reversals) on the contracts linked to the pilot, "
                     "received in the period, in fen."))
def contract_income(ids, period):
    from tmhub.transfer.models import Receipt

    effective = Receipt.objects.originals()
    if period.as_of is None:
        effective = effective.filter(reversal__isnull=True)
    else:  # reversed after the cut-off: it still stood then
        effective = effective.filter(Q(reversal__isnull=True)
                                     | Q(reversal__recorded_at__date__gt=period.as_of))
    rows = (among(effective, "contract__pilots__id", ids)
            .filter(received_on__range=(period.start, period.end))
            .values("contract__pilots__id").annotate(total=Sum("amount_fen")))
    return {r["contract__pilots__id"]: r["total"] or 0 for r in rows}


def _overlapping(period):
    return Q(assigned_on__lte=period.end) & (Q(ended_on__isnull=True)
                                              | Q(ended_on__gte=period.start))


@metric("pilots_managed", label=_("Pilots managed"), unit=COUNT, order=410,
        definition=_("Funded-project pilots the manager was assigned to during the period, "
                     "each pilot counted once."))
def pilots_managed(ids, period):
    from tmhub.pilots.models import Assignment

    rows = (among(Assignment.objects.all(), "manager_id", ids).filter(_overlapping(period))
            .values("manager_id").annotate(n=Count("pilot_id", distinct=True)))
    return {r["manager_id"]: r["n"] for r in rows}


@metric("pilot_kpi_attainment", label=_("Pilot KPI attainment (%)"), unit=SCORE, order=411,
        definition=_("Average weighted KPI attainment of the pilots the manager managed that "
                     "closed in the period (each capped at 100%)."))
def pilot_kpi_attainment(ids, period):
    from tmhub.pilots.models import Assignment

    rows = (among(Assignment.objects.all(), "manager_id", ids)
            .filter(pilot__closed_on__range=(period.start, period.end),
                    pilot__overall_attainment__isnull=False, assigned_on__lte=period.end)
            .values_list("manager_id", "pilot_id", "pilot__overall_attainment").distinct())
    per_manager: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for manager_id, pilot_id, value in rows:
        per_manager[manager_id][pilot_id] = value
    return {
        m: (sum(v.values(), Decimal(0)) / len(v)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        for m, v in per_manager.items()
    }
