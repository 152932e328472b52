"""Figures of a manager's transfer work, defined once for filings, matching, evaluation and
dashboards (`tmhub.core.metrics`).

Every figure takes a set of managers' user ids and a period and answers {user id: value} in a
constant number of queries, however many managers are asked about.

Attribution, the same for every figure: a manager is credited with a project's contracts and
money when they are (or were) assigned to the project, whatever their role on it; a manager
"serves" a project in a period when their assignment overlaps it; an introduction counts for
the one manager it is attributed to.

**A deal** (`transfer_deals`) is a transfer project on which at least one technology contract
was signed in the period. Why a signed contract and not a stage: the contract is the record
the transfer office and the technology-contract registry count as a deal (技术合同成交), it has
a signing date that places it in a period, and it is evidence rather than a label — a project
is moved to "transaction" by its own managers, and nothing dates when it got there. One
project that signs a licence and then a service contract is one deal (two contracts signed).
So a manager's deals never exceed their contracts signed, and a deal always has a contract
whose value and income the other figures report.

**Money after corrections**: receipts and costs are never edited or deleted; a mistake is
corrected by a reversing entry with the opposite amount on the original's date
(`tmhub.transfer.models.contracts.MoneyEntry`). Every money figure here sums `amount_fen` over
the period, so it follows a correction by itself: the original's period drops, whenever the
reversal was recorded. Nothing here may filter reversals out or count receipts as rows.
As of a cut-off (`Period.as_of`, a rating round's), a reversal recorded after it is left out:
the original stood then, and a re-run of the round gives the same figure.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import COUNT, FEN, FILING, Period, among, metric
from tmhub.transfer.choices import ActivityKind, Currency
from tmhub.transfer.models import Activity, Contract, Cost, ProjectAssignment, Receipt


def _counted(rows, key: str) -> dict[int, int]:
    return {row[key]: row["n"] for row in rows}


def _projects_of(ids: list[int]) -> dict[int, set[int]]:
    """{user id: the projects they are or were assigned to} — one query."""
    result: dict[int, set[int]] = defaultdict(set)
    pairs = (
        among(ProjectAssignment.objects.all(), "user_id", ids)
        .values_list("user_id", "project_id")
        .distinct()
    )
    for user_id, project_id in pairs:
        result[user_id].add(project_id)
    return result


def _credit(ids: list[int], per_project: dict[int, int]) -> dict[int, int]:
    """Sum per-project amounts over each manager's projects (each project counted once)."""
    if not per_project:
        return {}
    return {
        user_id: sum(per_project.get(p, 0) for p in projects)
        for user_id, projects in _projects_of(ids).items()
    }


def _money_as_of(rows, period: Period):
    """Receipts or costs as they stood at `period.as_of`: reversals recorded later left out
    (originals count by the day the money moved, whenever they were entered)."""
    if period.as_of is None:
        return rows
    return rows.exclude(reverses__isnull=False, recorded_at__date__gt=period.as_of)


def _contracts_in(period: Period):
    return Contract.objects.filter(
        signed_on__range=(period.start, period.end), project__isnull=False
    )


# ---------------------------------------------------------------- the annual filing's figures
@metric(
    "transfer_projects_served",
    label=_("Transfer projects served"),
    unit=COUNT,
    tags={FILING},
    order=20,
    definition=_(
        "Distinct transfer projects the manager was assigned to at some time in the period."
    ),
)
def projects_served(ids: list[int], period: Period) -> dict[int, int]:
    assignments = ProjectAssignment.objects.filter(assigned_on__lte=period.end).filter(
        Q(released_on__isnull=True) | Q(released_on__gte=period.start)
    )
    return _counted(
        among(assignments, "user_id", ids)
        .values("user_id")
        .order_by()
        .annotate(n=Count("project_id", distinct=True)),
        "user_id",
    )


@metric(
    "transfer_contracts_signed",
    label=_("Technology contracts signed"),
    unit=COUNT,
    tags={FILING},
    order=21,
    definition=_(
        "Technology contracts signed in the period on projects the manager works or worked on."
    ),
)
def contracts_signed(ids: list[int], period: Period) -> dict[int, int]:
    field = "project__assignments__user_id"
    return _counted(
        among(_contracts_in(period), field, ids)
        .values(field)
        .order_by()
        .annotate(n=Count("pk", distinct=True)),
        field,
    )


@metric(
    "transfer_income_fen",
    label=_("Transfer income received (fen)"),
    unit=FEN,
    tags={FILING},
    order=22,
    definition=_("Money received in the period under contracts of the manager's projects (fen)."),
)
def income_fen(ids: list[int], period: Period) -> dict[int, int]:
    rows = (
        _money_as_of(Receipt.objects.filter(
            received_on__range=(period.start, period.end), contract__project__isnull=False
        ), period)
        .values("contract__project_id")
        .order_by()
        .annotate(total=Sum("amount_fen"))
    )
    return _credit(ids, {r["contract__project_id"]: r["total"] for r in rows})


@metric(
    "transfer_introductions",
    label=_("Introductions made"),
    unit=COUNT,
    tags={FILING},
    order=23,
    definition=_(
        "Introductions (timestamped activities naming the organisation "
        "introduced) attributed to the manager in the period."
    ),
)
def introductions(ids: list[int], period: Period) -> dict[int, int]:
    made = Activity.objects.filter(
        kind=ActivityKind.INTRODUCTION, occurred_at__date__range=(period.start, period.end)
    )
    return _counted(
        among(made, "manager_id", ids).values("manager_id").order_by().annotate(n=Count("pk")),
        "manager_id",
    )


# ---------------------------------------------------------------- deals and money
@metric(
    "transfer_deals",
    label=_("Deals"),
    unit=COUNT,
    order=30,
    definition=_(
        "Transfer projects of the manager on which a technology contract was "
        "signed in the period; several contracts of one project are one deal."
    ),
)
def deals(ids: list[int], period: Period) -> dict[int, int]:
    """The one definition of a deal (see the module docstring for why)."""
    signed = ProjectAssignment.objects.filter(
        project__contracts__signed_on__range=(period.start, period.end)
    )
    return _counted(
        among(signed, "user_id", ids)
        .values("user_id")
        .order_by()
        .annotate(n=Count("project_id", distinct=True)),
        "user_id",
    )


@metric(
    "transfer_active_projects",
    label=_("Active transfer projects"),
    unit=COUNT,
    order=31,
    definition=_(
        "Projects the manager is assigned to at the end of the period that had "
        "not landed by then (the manager's current workload)."
    ),
)
def active_projects(ids: list[int], period: Period) -> dict[int, int]:
    active = ProjectAssignment.objects.filter(assigned_on__lte=period.end).filter(
        Q(released_on__isnull=True) | Q(released_on__gt=period.end),
        Q(project__landed_on__isnull=True) | Q(project__landed_on__gt=period.end),
    )
    return _counted(
        among(active, "user_id", ids)
        .values("user_id")
        .order_by()
        .annotate(n=Count("project_id", distinct=True)),
        "user_id",
    )


@metric(
    "transfer_contract_value_fen",
    label=_("Value of contracts signed (fen)"),
    unit=FEN,
    order=32,
    definition=_(
        "Amounts of the renminbi technology contracts signed in the period on "
        "projects the manager works or worked on (fen); contracts in other "
        "currencies are not converted and not counted."
    ),
)
def contract_value_fen(ids: list[int], period: Period) -> dict[int, int]:
    rows = (
        _contracts_in(period)
        .filter(currency=Currency.CNY)
        .values("project_id")
        .order_by()
        .annotate(total=Sum("amount_fen"))
    )
    return _credit(ids, {r["project_id"]: r["total"] for r in rows})


@metric(
    "transfer_net_income_fen",
    label=_("Net transfer income (fen)"),
    unit=FEN,
    order=33,
    definition=_(
        "For each contract of the manager's projects, the money received in the "
        "period less the deductible costs recorded in the period, never below "
        "zero (a loss gives nothing to reward); summed over the contracts (fen)."
    ),
)
def net_income_fen(ids: list[int], period: Period) -> dict[int, int]:
    def in_period(model, date_field):
        return _money_as_of(model.objects.filter(
            **{f"{date_field}__range": (period.start, period.end)}, contract__project__isnull=False
        ), period)

    costs = dict(
        in_period(Cost, "incurred_on")
        .values_list("contract_id")
        .order_by()
        .annotate(total=Sum("amount_fen"))
    )
    received = (
        in_period(Receipt, "received_on")
        .values_list("contract_id", "contract__project_id")
        .order_by()
        .annotate(total=Sum("amount_fen"))
    )
    per_project: dict[int, int] = defaultdict(int)
    for contract_id, project_id, amount in received:
        per_project[project_id] += max(amount - costs.get(contract_id, 0), 0)
    return _credit(ids, per_project)
