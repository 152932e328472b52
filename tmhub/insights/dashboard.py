"""The city dashboard of a plan (SPEC §10): every figure read through the metrics registry
(tmhub.core.metrics) over the plan's years, in the reader's scope — the city and the
department officers see every district; a district officer the districts of their posts; a
department officer the institutions of the kinds the department oversees (education:
universities, health: hospitals …), the city every institution.

Each chart is a Table (the numbers behind it, downloadable as xlsx) and an ECharts option
built from the same rows, so the chart, the table and the download cannot disagree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tmhub.core import metrics
from tmhub.core.choices import OrgKind
from tmhub.core.metrics import Period
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.insights.figures import target_progress

PALETTE = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d"]


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    money_columns: tuple = ()  # column indexes holding yuan


def plan_years(plan) -> list[int]:
    return list(range(plan.start.year, plan.end.year + 1))


def _period(plan, year: int) -> Period:
    return Period(max(plan.start, datetime.date(year, 1, 1)),
                  min(plan.end, datetime.date(year, 12, 31)))


def districts_in_scope(scope):
    """The districts a reader's dashboard covers."""
    rows = District.objects.order_by("sort_order")
    if scope.is_municipal or scope.has_role(Role.DEPARTMENT_OFFICER):
        return rows
    if scope.has_role(Role.DISTRICT_OFFICER):
        return rows.filter(pk__in=scope.district_ids)
    return rows.none()


def institutions_in_scope(scope):
    """The institutions whose figures a reader's dashboard covers."""
    from tmhub.orgs.models import Organization

    rows = Organization.objects.filter(kind__in=INSTITUTION_KINDS)
    if scope.is_municipal:
        return rows
    kinds = set(scope.department_org_kinds) if scope.has_role(Role.DEPARTMENT_OFFICER) else set()
    district_ids = set(scope.district_ids) if scope.has_role(Role.DISTRICT_OFFICER) else set()
    if not kinds and not district_ids:
        return rows.none()
    from django.db.models import Q

    condition = Q(pk__in=[])
    if kinds:
        condition |= Q(kind__in=kinds)
    if district_ids:
        condition |= Q(district_id__in=district_ids)
    return rows.filter(condition)


INSTITUTION_KINDS = [OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE, OrgKind.MEDICAL]


def _yuan(fen) -> float:
    return round((fen or 0) / 100, 2)


def targets_table(plan, today) -> Table:
    table = Table("targets", _("Progress to the plan's targets"),
                  [_("Target"), _("Target value"), _("Platform figure"), _("Attainment (%)")])
    for target in plan.targets.all():
        progress = target_progress(target, today)
        table.rows.append([target.display_label, target.target_value, progress["value"],
                           progress["percent"]])
    return table


def district_table(plan, scope) -> Table:
    """Landings and the value of contracts landed, by district and year."""
    table = Table("districts", _("Landings and contracts landed by district and year"),
                  [_("District"), _("Year"), str(metrics.get("districts.landings").label),
                   str(metrics.get("districts.contract_value").label) + " " + _("(yuan)")],
                  money_columns=(3,))
    districts = list(districts_in_scope(scope))
    ids = [d.pk for d in districts]
    landings, value = metrics.get("districts.landings"), metrics.get("districts.contract_value")
    for year in plan_years(plan):
        period = _period(plan, year)
        counts, amounts = landings.values(ids, period), value.values(ids, period)
        for district in districts:
            table.rows.append([district.name, year, counts[district.pk],
                               _yuan(amounts[district.pk])])
    return table


def institution_kind_table(plan, scope) -> Table:
    """Contracts signed and income received by the institutions in scope, by kind and year."""
    table = Table("institutions", _("Contracts and income by institution kind and year"),
                  [_("Institution kind"), _("Year"),
                   str(metrics.get("institution_contracts_signed").label),
                   str(metrics.get("institution_income_fen").label) + " " + _("(yuan)")],
                  money_columns=(3,))
    by_kind: dict[str, list[int]] = {}
    for pk, kind in institutions_in_scope(scope).values_list("pk", "kind"):
        by_kind.setdefault(kind, []).append(pk)
    signed, income = (metrics.get("institution_contracts_signed"),
                      metrics.get("institution_income_fen"))
    for year in plan_years(plan):
        period = _period(plan, year)
        for kind in INSTITUTION_KINDS:
            ids = by_kind.get(kind, [])
            if not ids:
                continue
            table.rows.append([OrgKind(kind).label, year, signed.total(ids, period),
                               _yuan(income.total(ids, period))])
    return table


def tables(plan, scope, today) -> list[Table]:
    return [targets_table(plan, today), district_table(plan, scope),
            institution_kind_table(plan, scope)]


TABLES = {"targets": lambda plan, scope, today: targets_table(plan, today),
          "districts": lambda plan, scope, today: district_table(plan, scope),
          "institutions": lambda plan, scope, today: institution_kind_table(plan, scope)}


def option_for(table: Table) -> dict:
    """The ECharts option of a table: targets as bars of attainment, the others as bars of
    their first figure per category, one series per year."""
    base = {"color": PALETTE, "tooltip": {"trigger": "axis"}, "animation": False,
            "grid": {"left": 48, "right": 24, "top": 40, "bottom": 60, "containLabel": True}}
    if table.key == "targets":
        return {**base, "xAxis": {"type": "category", "data": [str(r[0]) for r in table.rows]},
                "yAxis": {"type": "value", "name": "%"},
                "series": [{"type": "bar", "name": str(table.columns[3]),
                            "data": [r[3] for r in table.rows]}]}
    categories = list(dict.fromkeys(str(r[0]) for r in table.rows))
    years = list(dict.fromkeys(r[1] for r in table.rows))
    cell = {(str(r[0]), r[1]): r[2] for r in table.rows}
    return {**base, "legend": {"top": 0},
            "xAxis": {"type": "category", "data": categories,
                      "axisLabel": {"interval": 0, "rotate": 30 if len(categories) > 6 else 0}},
            "yAxis": {"type": "value", "name": str(table.columns[2])},
            "series": [{"type": "bar", "name": str(year),
                        "data": [cell.get((c, year), 0) for c in categories]}
                       for year in years]}
