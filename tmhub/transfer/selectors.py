"""Aggregates over records the caller already restricted: the dashboard and the board.

A manager's own figures (projects served, contracts, income, introductions, deals) are
metrics, defined once in `tmhub.transfer.metrics`.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from tmhub.transfer.choices import STAGE_ORDER, SplitStatus, Stage
from tmhub.transfer.models import Contract, Project, Receipt, RewardSplit


def stage_board(projects, *, limit: int) -> list[tuple[Stage, int, list]]:
    """(stage, count, cards) for every stage in order: at most `limit` cards per column."""
    columns: dict[str, list] = {stage: [] for stage in STAGE_ORDER}
    counts = dict.fromkeys(STAGE_ORDER, 0)
    for project in projects:
        counts[project.stage] += 1
        if len(columns[project.stage]) < limit:
            columns[project.stage].append(project)
    return [(Stage(stage), counts[stage], columns[stage]) for stage in STAGE_ORDER]


# --- aggregates for the dashboard (callers pass an already restricted queryset) ----------


def stage_funnel(projects=None) -> list[tuple[str, object, int]]:
    """(stage, label, count) in stage order; every stage present, zeros included."""
    projects = Project.objects.all() if projects is None else projects
    counts = dict(projects.values_list("stage").annotate(n=Count("id")).order_by())
    return [(s, Stage(s).label, counts.get(s, 0)) for s in STAGE_ORDER]


def contract_totals(contracts=None, year: int | None = None) -> dict:
    contracts = Contract.objects.all() if contracts is None else contracts
    if year:
        contracts = contracts.filter(signed_on__year=year)
    totals = contracts.aggregate(count=Count("id"), value=Sum("amount_fen"))
    return {"count": totals["count"] or 0, "value_fen": totals["value"] or 0}


def income_totals(contracts=None, year: int | None = None) -> dict:
    contracts = Contract.objects.all() if contracts is None else contracts
    receipts = Receipt.objects.filter(contract__in=contracts.values("pk"))
    if year:
        receipts = receipts.filter(received_on__year=year)
    return {"received_fen": receipts.aggregate(total=Sum("amount_fen"))["total"] or 0}


def reward_totals(splits=None, year: int | None = None) -> dict:
    splits = RewardSplit.objects.all() if splits is None else splits
    splits = splits.filter(status=SplitStatus.APPROVED)
    if year:
        splits = splits.filter(income_date__year=year)
    totals = splits.aggregate(
        count=Count("id"),
        team=Sum("team_fen"),
        office=Sum("office_fen"),
        institution=Sum("institution_fen"),
        amount=Sum("amount_fen"),
    )
    return {key: value or 0 for key, value in totals.items()}
