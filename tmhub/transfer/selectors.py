"""Figures the transfer records give other modules: annual filing, evaluation, dashboard.

Each per-manager figure is `func(user, year) -> int` (money in fen). Attribution rules:
a manager "serves" a project in a year when their assignment overlaps it; a contract counts
for every manager assigned to its project when it was signed; income counts when received;
an introduction counts for the manager it is attributed to.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.transfer.choices import STAGE_ORDER, ActivityKind, SplitStatus, Stage
from tmhub.transfer.models import (
    Activity,
    Contract,
    Project,
    ProjectAssignment,
    Receipt,
    RewardSplit,
)


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _assignments_in(user, year: int):
    start, end = _year_bounds(year)
    return ProjectAssignment.objects.filter(user=user, assigned_on__lte=end).filter(
        Q(released_on__isnull=True) | Q(released_on__gte=start)
    )


def projects_served(user, year: int) -> int:
    """Distinct projects the manager was assigned to at some point of the year."""
    return _assignments_in(user, year).values("project_id").distinct().count()


def _contracts_of(user, year: int):
    start, end = _year_bounds(year)
    assigned = ProjectAssignment.objects.filter(user=user).values("project_id")
    return Contract.objects.filter(project__in=assigned, signed_on__range=(start, end))


def contracts_signed(user, year: int) -> int:
    """Contracts signed in the year on projects the manager works on."""
    return _contracts_of(user, year).count()


def contract_value_fen(user, year: int) -> int:
    return _contracts_of(user, year).aggregate(total=Sum("amount_fen"))["total"] or 0


def income_fen(user, year: int) -> int:
    """Money received in the year under contracts of the manager's projects (fen)."""
    start, end = _year_bounds(year)
    assigned = ProjectAssignment.objects.filter(user=user).values("project_id")
    return (
        Receipt.objects.filter(contract__project__in=assigned, received_on__range=(start, end))
        .aggregate(total=Sum("amount_fen"))["total"] or 0
    )


def introductions_made(user, year: int) -> int:
    """Introductions attributed to the manager in the year."""
    return Activity.objects.filter(
        manager=user, kind=ActivityKind.INTRODUCTION, occurred_at__year=year
    ).count()


def deals_landed(user, year: int) -> int:
    """Projects of the manager that reached the landing stage in the year."""
    assigned = ProjectAssignment.objects.filter(user=user).values("project_id")
    return Project.objects.filter(pk__in=assigned, stage=Stage.LANDING,
                                  landed_on__year=year).count()


FILING_SOURCES = [
    ("transfer_projects_served", _("Transfer projects served"), projects_served),
    ("transfer_contracts_signed", _("Technology contracts signed"), contracts_signed),
    ("transfer_income_fen", _("Transfer income received (fen)"), income_fen),
    ("transfer_introductions", _("Introductions made"), introductions_made),
]


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
    totals = splits.aggregate(count=Count("id"), team=Sum("team_fen"), office=Sum("office_fen"),
                              institution=Sum("institution_fen"), amount=Sum("amount_fen"))
    return {key: value or 0 for key, value in totals.items()}
