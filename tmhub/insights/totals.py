"""Running totals of the city dashboard (`DashboardTotal`), kept equal to the records.

The dashboard's heaviest figures — managers entered in the registry by district, year,
level, entry route, kind of employer and field; contracts, contract amounts, income, costs and
rewards to individuals by institution, year and field — would each read 50,000 to 100,000
records per request. Instead every such record has a *contribution*: the cells it adds to
(`DashboardContribution`), computed by the same code that `rebuild()` runs over all records.
When a record changes (an event on the bus, in the writer's transaction), the contributions of
the records it touches are computed again and only the difference is booked; so an edit, a
reversal or a deletion moves the totals by exactly what it changed, and a restatement of a
record that did not change books nothing. A record's contribution also names its *parent*
(the contract of a receipt, the project of a contract, the employer of a manager), so a change
of the parent — a project's field, an employer's kind, a deleted contract — restates its
children, even those already gone.

The totals are kept per calendar year of the record's own day (a contract by its signing day,
a receipt by the day the money came in, a manager by the day of entry in Beijing time); the
dashboard reads them for the whole years of a plan's period and reads the records themselves
only for a part-year (a plan that runs today, or starts or ends inside a year).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from tmhub.core.metrics import Period

# measures
MANAGERS = "managers"  # registered managers by year, district, employer kind, level, route
MANAGER_FIELDS = "manager_fields"  # the same by field (a manager in two fields counts twice)
CONTRACTS = "contracts"  # contracts signed, by year, institution, field of the project
CONTRACT_AMOUNT = "contract_amount"  # their amount in fen
INCOME = "income"  # money received (corrections included), by year and institution
COSTS = "costs"  # deductible costs, by year and institution
REWARDS = "rewards"  # team shares of approved reward splits, by year and institution

Cell = tuple  # (measure, year, institution, district, kind, level, route, field)
CHUNK = 2000  # ids per IN list (SQLite's bound-parameter limit, the planner's comfort)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _parts(rows, ids):
    """`rows` whole (ids None: every record) or cut to `ids` a chunk at a time."""
    if ids is None:
        yield rows
        return
    for part in _chunks(ids):
        yield rows.filter(pk__in=part)


def _local_year(moment) -> int:
    return timezone.localtime(moment, timezone.get_default_timezone()).year


def _cell(measure, year, institution=0, district=0, kind="", level="", route="", field=0):
    return (measure, int(year), int(institution or 0), int(district or 0), kind or "",
            level or "", route or "", int(field or 0))


@dataclass(frozen=True)
class Source:
    """A kind of record that adds to the totals: `read(ids)` gives {record id: (parent id,
    [(cell, value), …])} for the records among `ids` (None: every record) that count now."""

    name: str
    read: Callable[[list[int] | None], dict[int, tuple[int, list]]]


def _managers(ids):
    from tmhub.talent.models import ManagerProfile

    rows = ManagerProfile.objects.filter(registered_at__isnull=False).order_by()
    through = ManagerProfile.fields.through.objects.order_by()
    found: dict[int, tuple[int, list]] = {}
    for picked in _parts(rows, ids):
        fields = defaultdict(list)
        links = through if ids is None else through.filter(
            managerprofile_id__in=picked.values("pk"))
        for profile_id, field_id in links.values_list("managerprofile_id", "industryfield_id"):
            fields[profile_id].append(field_id)
        for pk, registered, district, employer, kind, level, route in picked.values_list(
                "pk", "registered_at", "work_district_id", "employer_id", "employer__kind",
                "training_level", "entry_route"):
            year = _local_year(registered)
            cells = [(_cell(MANAGERS, year, district=district, kind=kind, level=level,
                            route=route), 1)]
            cells += [(_cell(MANAGER_FIELDS, year, district=district, kind=kind, field=f), 1)
                      for f in sorted(fields.get(pk) or [0])]
            found[pk] = (employer or 0, cells)
    return found


def _contracts(ids):
    from tmhub.transfer.models import Contract

    rows = Contract.objects.filter(signed_on__isnull=False).order_by()
    found = {}
    for picked in _parts(rows, ids):
        for pk, signed, institution, project, field, amount in picked.values_list(
                "pk", "signed_on", "institution_id", "project_id", "project__field_id",
                "amount_fen"):
            found[pk] = (project or 0, [
                (_cell(CONTRACTS, signed.year, institution=institution, field=field), 1),
                (_cell(CONTRACT_AMOUNT, signed.year, institution=institution, field=field),
                 amount or 0)])
    return found


def _money(model_path: str, measure: str, day: str):
    def read(ids):
        from django.apps import apps

        model = apps.get_model(model_path)
        rows = model.objects.order_by()
        found = {}
        for picked in _parts(rows, ids):
            for pk, when, contract, institution, amount in picked.values_list(
                    "pk", day, "contract_id", "contract__institution_id", "amount_fen"):
                found[pk] = (contract, [(_cell(measure, when.year, institution=institution),
                                         amount or 0)])
        return found

    return read


def _rewards(ids):
    from tmhub.transfer.choices import SplitStatus
    from tmhub.transfer.models import RewardSplit

    rows = RewardSplit.objects.filter(status=SplitStatus.APPROVED).order_by()
    found = {}
    for picked in _parts(rows, ids):
        for pk, day, institution, team in picked.values_list(
                "pk", "income_date", "institution_id", "team_fen"):
            found[pk] = (institution, [(_cell(REWARDS, day.year, institution=institution),
                                        team or 0)])
    return found


SOURCES = {s.name: s for s in (
    Source("manager", _managers),
    Source("contract", _contracts),
    Source("receipt", _money("transfer.Receipt", INCOME, "received_on")),
    Source("cost", _money("transfer.Cost", COSTS, "incurred_on")),
    Source("split", _rewards),
)}


# ------------------------------------------------------------------ writing
def _book(delta: Counter) -> None:
    """Add each cell's difference to its total (one upsert per cell; the row lock of the
    upsert makes two writers of one cell queue up)."""
    from tmhub.insights.models import DashboardTotal

    moved = [(cell, value) for cell, value in delta.items() if value]
    if not moved:
        return
    table = DashboardTotal._meta.db_table
    columns = ", ".join(DashboardTotal.CELL)
    sql = (f"INSERT INTO {table} ({columns}, value) VALUES "
           f"({', '.join(['%s'] * (len(DashboardTotal.CELL) + 1))}) "
           f"ON CONFLICT ({columns}) DO UPDATE SET value = {table}.value + excluded.value")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*cell, value) for cell, value in moved])


def _as_cells(stored: list) -> list[tuple[Cell, int]]:
    return [(tuple(cell), value) for cell, value in stored]


def restate(source_name: str, ids: Iterable[int]) -> None:
    """Compute again what the records `ids` of a source contribute and book the difference
    (inside the caller's transaction)."""
    from tmhub.insights.models import DashboardContribution

    ids = sorted({int(i) for i in ids})
    if not ids:
        return
    source = SOURCES[source_name]
    with transaction.atomic():
        now = source.read(ids)
        delta: Counter = Counter()
        stored = {}
        for part in _chunks(ids):
            # locked: a second writer of the same record waits and then reads what we wrote
            for row in (DashboardContribution.objects.select_for_update()
                        .filter(source=source_name, record__in=part)):
                stored[row.record] = row
        gone, changed, new = [], [], []
        for pk in ids:
            parent, cells = now.get(pk, (0, []))
            row = stored.get(pk)
            before = _as_cells(row.cells) if row else []
            for cell, value in before:
                delta[cell] -= value
            for cell, value in cells:
                delta[cell] += value
            plain = [[list(cell), value] for cell, value in cells]
            if row is None and cells:
                new.append(DashboardContribution(source=source_name, record=pk,
                                                 parent=parent, cells=plain))
            elif row is not None and not cells:
                gone.append(row.pk)
            elif row is not None and (row.cells != plain or row.parent != parent):
                row.cells, row.parent = plain, parent
                changed.append(row)
        DashboardContribution.objects.filter(pk__in=gone).delete()
        DashboardContribution.objects.bulk_update(changed, ["cells", "parent"], batch_size=500)
        DashboardContribution.objects.bulk_create(new, batch_size=500)
        _book(delta)


def children(source_name: str, parent_ids: Iterable[int], current: Callable) -> set[int]:
    """Records of a source whose parent is one of `parent_ids`, as booked (a child deleted
    with its parent) or as they stand (a child moved to it): `current(parents)` lists the
    latter."""
    from tmhub.insights.models import DashboardContribution

    parents = sorted({int(p) for p in parent_ids})
    booked = set(DashboardContribution.objects.filter(
        source=source_name, parent__in=parents).values_list("record", flat=True))
    return booked | set(current(parents))


def computed() -> tuple[dict[str, dict], Counter]:
    """Every record's contribution and the totals they add up to, from the records."""
    found = {name: source.read(None) for name, source in SOURCES.items()}
    sums: Counter = Counter()
    for records in found.values():
        for _parent, cells in records.values():
            for cell, value in cells:
                sums[cell] += value
    return found, sums


def stored_totals() -> Counter:
    from tmhub.insights.models import DashboardTotal

    return Counter({tuple(row[:-1]): row[-1] for row in DashboardTotal.objects.exclude(value=0)
                    .values_list(*DashboardTotal.CELL, "value")})


def drift() -> dict[Cell, tuple[int, int]]:
    """{cell: (stored, from the records)} wherever the two differ (empty when they agree)."""
    _found, sums = computed()
    stored = stored_totals()
    return {cell: (stored.get(cell, 0), sums.get(cell, 0))
            for cell in set(stored) | {c for c, v in sums.items() if v}
            if stored.get(cell, 0) != sums.get(cell, 0)}


@transaction.atomic
def rebuild() -> int:
    """Recompute every contribution and total from the records (after a bulk load or an
    import written as rows, and by `manage.py rebuild_dashboard_totals`). Returns the cells."""
    from tmhub.insights.models import DashboardContribution, DashboardTotal

    found, sums = computed()
    DashboardContribution.objects.all().delete()
    DashboardTotal.objects.all().delete()
    DashboardContribution.objects.bulk_create(
        (DashboardContribution(source=name, record=pk, parent=parent,
                               cells=[[list(cell), value] for cell, value in cells])
         for name, records in found.items() for pk, (parent, cells) in records.items()),
        batch_size=2000)
    DashboardTotal.objects.bulk_create(
        (DashboardTotal(**dict(zip(DashboardTotal.CELL, cell)), value=value)
         for cell, value in sums.items() if value), batch_size=2000)
    return sum(1 for v in sums.values() if v)


# ------------------------------------------------------------------ reading
def whole_years(period: Period) -> tuple[list[int], list[Period]]:
    """The calendar years lying wholly inside `period` (read from the totals) and the
    part-years left over (read from the records)."""
    years, parts = [], []
    start = period.start
    while start <= period.end:
        year_end = datetime.date(start.year, 12, 31)
        end = min(year_end, period.end)
        if start == datetime.date(start.year, 1, 1) and end == year_end:
            years.append(start.year)
        else:
            parts.append(Period(start, end))
        start = end + datetime.timedelta(days=1)
    return years, parts


def read(measure: str, years: list[int], condition: Q | None = None):
    """Values rows of `measure` for `years`, cut by `condition` on the cell's columns."""
    from tmhub.insights.models import DashboardTotal

    rows = DashboardTotal.objects.filter(measure=measure, year__in=years).exclude(value=0)
    return rows if condition is None else rows.filter(condition)
