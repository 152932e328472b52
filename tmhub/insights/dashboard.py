"""The city dashboard of a plan (SPEC §10): every figure read through the metrics registry
(tmhub.core.metrics) over the plan's years, in the reader's scope — the city and the
department officers see every district; a district officer the districts of their posts; a
department officer the institutions of the kinds the department oversees (education:
universities, health: hospitals …), the city every institution.

Each chart is a Table (the numbers behind it, downloadable as xlsx) and an ECharts option
built from the same rows, so the chart, the table and the download cannot disagree."""

from __future__ import annotations

import contextvars
import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import metrics
from tmhub.core.choices import OrgKind
from tmhub.core.metrics import Period
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.insights import totals
from tmhub.insights.figures import target_progress

PALETTE = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#6c757d"]


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list = field(default_factory=list)
    money_columns: tuple = ()  # column indexes holding yuan
    series: bool = True  # the second column splits the bars into series (a year, a kind)
    value_col: int = 2  # the column the chart draws
    links: list = field(default_factory=list)  # per row: the drill-down filters, or None
    category_col: int = 0  # the column naming each bar (without series)
    note: str = ""


def plan_years(plan) -> list[int]:
    return list(range(plan.start.year, plan.end.year + 1))


def _period(plan, year: int) -> Period:
    return Period(max(plan.start, datetime.date(year, 1, 1)),
                  min(plan.end, datetime.date(year, 12, 31)))


def plan_period(plan, today) -> Period:
    """The plan's period up to today (the whole of it once it has ended)."""
    return Period(plan.start, min(plan.end, max(today, plan.start)))


def _manager_cut(scope, district: str, kind: str):
    """A Q keeping the managers a reader's dashboard counts, on the given district-of-work and
    kind-of-employer columns; None for the whole city."""
    if scope.is_municipal:
        return None
    condition = Q(pk__in=[])
    if scope.has_role(Role.DISTRICT_OFFICER) and scope.district_ids:
        condition |= Q(**{f"{district}__in": scope.district_ids})
    if scope.has_role(Role.DEPARTMENT_OFFICER) and scope.department_org_kinds:
        condition |= Q(**{f"{kind}__in": scope.department_org_kinds})
    return condition


def scoped_managers(scope):
    """Technology managers a reader's dashboard counts: the city all; a district officer those
    working in their districts; a department officer those employed by the institutions of
    the kinds it oversees."""
    from tmhub.talent.models import ManagerProfile

    condition = _manager_cut(scope, "work_district_id", "employer__kind")
    rows = ManagerProfile.objects.all()
    return rows if condition is None else rows.filter(condition)


def scoped_manager_cells(scope):
    """The same cut on the running totals' cells (district of work, kind of employer)."""
    return _manager_cut(scope, "district", "kind")


def scoped_orgs(scope, prefix: str):
    """A Q on the organisation at `prefix` (``institution``, ``collaboration__provider``) in the
    reader's scope, None for the whole city."""
    if scope.is_municipal:
        return None
    condition = Q(pk__in=[])
    if scope.has_role(Role.DISTRICT_OFFICER) and scope.district_ids:
        condition |= Q(**{f"{prefix}__district_id__in": scope.district_ids})
    if scope.has_role(Role.DEPARTMENT_OFFICER) and scope.department_org_kinds:
        condition |= Q(**{f"{prefix}__kind__in": scope.department_org_kinds})
    return condition


def in_scope(queryset, scope, prefix: str):
    condition = scoped_orgs(scope, prefix)
    return queryset if condition is None else queryset.filter(condition)


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
    """Each target's figure, attainment and what remains: after the plan's end the figure is
    final and the remainder a shortfall (nothing is projected); before it, the remainder and
    a straight-line projection to the due day."""
    table = Table("targets", _("Progress to the plan's targets"),
                  [_("Target"), _("Target value"), _("Platform figure"), _("Attainment (%)"),
                   _("Remaining"), _("Outlook")], series=False, value_col=3)
    for target in plan.targets.all():
        progress = target_progress(target, today)
        value, percent = progress["value"], progress["percent"]
        remaining = None if value is None else max(target.target_value - value, 0)
        table.rows.append([target.display_label, target.target_value, value, percent,
                           remaining, target_outlook(target, progress, today)])
        table.links.append({"target": target.pk} if value is not None else None)
    return table


def target_outlook(target, progress, today) -> str:
    value = progress["value"]
    if value is None:
        return _("not available")
    if progress["final"]:
        if progress["met"]:
            return _("Final (period ended %(day)s): met") % {"day": target.due_on.isoformat()}
        return _("Final (period ended %(day)s): not met, short by %(n)s") % {
            "day": target.due_on.isoformat(), "n": target.target_value - value}
    start = target.plan.start
    if today < start:
        return _("Not started (starts %(day)s)") % {"day": start.isoformat()}
    elapsed = (today - start).days + 1
    total = (target.due_on - start).days + 1
    projected = round(value * total / elapsed) if elapsed else value
    return _("%(days)s days left; projected %(n)s by %(day)s") % {
        "days": (target.due_on - today).days, "n": projected, "day": target.due_on.isoformat()}


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
            table.links.append({"year": year, "district": district.pk})
    return table


def financing_table(plan, scope) -> Table:
    """Financing raised by the projects and companies of each district, by year (the network's
    metric: reversed rounds left out)."""
    metric = metrics.get("financing_amount_district")
    table = Table("financing", _("Financing raised by district and year"),
                  [_("District"), _("Year"), str(metric.label) + " " + _("(yuan)")],
                  money_columns=(2,))
    districts = list(districts_in_scope(scope))
    ids = [d.pk for d in districts]
    for year in plan_years(plan):
        amounts = metric.values(ids, _period(plan, year))
        for district in districts:
            table.rows.append([district.name, year, _yuan(amounts[district.pk])])
            table.links.append({"year": year, "district": district.pk})
    return table


# a dict only while `tables()` builds the whole dashboard (per thread and task): what
# several tables read is read once per build
_MEMO: contextvars.ContextVar = contextvars.ContextVar("insights_dashboard", default=None)


def _memoised(key, compute):
    memo = _MEMO.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _money_by_institution(plan, year, ids):
    """{institution id: (signed, amount, income, costs, team rewards)} for a year: contracts
    and income read from the metrics registry, the rest from the same records. Read once per
    dashboard build, for every year of the plan, for the tables that share it."""
    years = _memoised(("money", plan.pk, tuple(sorted(ids))), lambda: _read_money(plan, ids))
    return years[year]


def _by_year(rows, institution: str, day: str, value: str) -> dict[tuple, int]:
    return {(pk, year): n for pk, year, n in rows.values_list(institution, f"{day}__year")
            .order_by().annotate(n=Sum(value))}


def _read_money(plan, ids) -> dict[int, dict]:
    """{year: {institution id: (signed, amount, income, costs, rewards)}}: whole years from
    the running totals, a part-year from the records."""
    found = {}
    whole, _parts = totals.whole_years(Period(plan.start, plan.end))
    if whole:
        found.update(_money_from_totals(whole, ids))
    partial = [year for year in plan_years(plan) if year not in whole]
    if partial:
        found.update(_money_from_records(plan, partial, ids))
    return found


def _money_from_totals(years, ids) -> dict[int, dict]:
    measures = (totals.CONTRACTS, totals.CONTRACT_AMOUNT, totals.INCOME, totals.COSTS,
                totals.REWARDS)
    sums: dict[tuple, int] = defaultdict(int)
    wanted = set(ids)
    for measure in measures:
        rows = totals.read(measure, years, Q(institution__in=ids) if len(ids) <= totals.CHUNK
                           else None)
        for year, institution, value in rows.values_list("year", "institution", "value"):
            if institution in wanted:
                sums[(measure, year, institution)] += value
    return {year: {pk: tuple(sums.get((m, year, pk), 0) for m in measures) for pk in ids}
            for year in years}


def _money_from_records(plan, years, ids) -> dict[int, dict]:
    from tmhub.transfer.choices import SplitStatus
    from tmhub.transfer.models import Contract, Cost, RewardSplit

    window = (plan.start, plan.end)
    # One grouped read per kind of record for the whole plan (not one per year).
    amount = _by_year(metrics.among(Contract.objects.filter(signed_on__range=window),
                                    "institution_id", ids), "institution_id", "signed_on",
                      "amount_fen")
    costs = _by_year(metrics.among(Cost.objects.filter(incurred_on__range=window),
                                   "contract__institution_id", ids), "contract__institution_id",
                     "incurred_on", "amount_fen")
    rewards = _by_year(metrics.among(RewardSplit.objects.filter(
        status=SplitStatus.APPROVED, income_date__range=window), "institution_id", ids),
        "institution_id", "income_date", "team_fen")
    found = {}
    for year in years:
        period = _period(plan, year)
        signed = metrics.get("institution_contracts_signed").values(ids, period)
        income = metrics.get("institution_income_fen").values(ids, period)
        found[year] = {pk: (signed[pk], amount.get((pk, year)) or 0, income[pk],
                            costs.get((pk, year)) or 0, rewards.get((pk, year)) or 0)
                       for pk in ids}
    return found


def _money_columns():
    return [str(metrics.get("institution_contracts_signed").label),
            _("Contract amount") + " " + _("(yuan)"),
            str(metrics.get("institution_income_fen").label) + " " + _("(yuan)"),
            _("Net income") + " " + _("(yuan)"), _("Rewards to individuals") + " " + _("(yuan)")]


def _money_row(figures):
    signed = sum(f[0] for f in figures)
    amount, income, costs, rewards = (sum(f[i] for f in figures) for i in (1, 2, 3, 4))
    return [signed, _yuan(amount), _yuan(income), _yuan(income - costs), _yuan(rewards)]


def institution_kind_table(plan, scope) -> Table:
    """Contracts, income, net income (income less costs) and rewards to individuals (team
    shares of approved splits) of the institutions in scope, by kind and year."""
    table = Table("institutions", _("Contracts and income by institution kind and year"),
                  [_("Institution kind"), _("Year"), *_money_columns()],
                  money_columns=(3, 4, 5, 6))
    orgs = list(institutions_in_scope(scope).values_list("pk", "kind"))
    ids = [pk for pk, _kind in orgs]
    for year in plan_years(plan):
        figures = _money_by_institution(plan, year, ids)
        for kind in INSTITUTION_KINDS:
            mine = [figures[pk] for pk, k in orgs if k == kind]
            if not mine:
                continue
            table.rows.append([OrgKind(kind).label, year, *_money_row(mine)])
            table.links.append({"year": year, "kind": kind})
    return table


def contract_district_table(plan, scope) -> Table:
    """The same money figures by the district of the institution, by year."""
    table = Table("contract-districts", _("Contracts and income by district and year"),
                  [_("District"), _("Year"), *_money_columns()], money_columns=(3, 4, 5, 6))
    orgs = list(institutions_in_scope(scope).values_list("pk", "district_id"))
    ids = [pk for pk, _d in orgs]
    districts = [d for d in District.objects.order_by("sort_order")
                 if any(d.pk == d_id for _pk, d_id in orgs)]
    for year in plan_years(plan):
        figures = _money_by_institution(plan, year, ids)
        for district in districts:
            mine = [figures[pk] for pk, d_id in orgs if d_id == district.pk]
            table.rows.append([district.name, year, *_money_row(mine)])
            table.links.append({"year": year, "district": district.pk})
    return table


def contract_field_table(plan, scope, today) -> Table:
    """Contracts signed and their amount by the field of the project they came from (a
    contract without a project counts as field not given), over the plan's period."""
    from tmhub.core.models import IndustryField
    from tmhub.transfer.models import Contract

    period = plan_period(plan, today)
    table = Table("contract-fields", _("Contracts by field"),
                  [_("Field"), _("Year"), _("Contracts signed"),
                   _("Contract amount") + " " + _("(yuan)")], money_columns=(3,))
    whole, parts = totals.whole_years(period)
    cells: dict[tuple, list] = defaultdict(lambda: [0, 0])
    if whole:
        ids = list(institutions_in_scope(scope).values_list("pk", flat=True))
        for position, measure in enumerate((totals.CONTRACTS, totals.CONTRACT_AMOUNT)):
            for field_id, year, value in totals.read(measure, whole, Q(institution__in=ids)) \
                    .values_list("field", "year", "value"):
                cells[(field_id or None, year)][position] += value
    for part in parts:
        rows = in_scope(Contract.objects.filter(signed_on__range=(part.start, part.end),
                                                institution__kind__in=INSTITUTION_KINDS),
                        scope, "institution")
        for field_id, year, n, amount in (rows.values_list("project__field_id", "signed_on__year")
                                          .order_by().annotate(n=Count("pk"),
                                                               amount=Sum("amount_fen"))):
            cells[(field_id, year)][0] += n
            cells[(field_id, year)][1] += amount or 0
    grouped = [(field_id, year, n, amount) for (field_id, year), (n, amount) in cells.items()]
    names = {f.pk: f.name for f in IndustryField.objects.all()}
    for field_id, year, n, amount in sorted(grouped, key=lambda r: (r[1], r[0] or 0)):
        table.rows.append([names.get(field_id, _("Field not given")), year, n, _yuan(amount)])
        table.links.append({"year": year, "field": field_id or 0})
    return table


def _day_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """[first moment, first moment after] of a period in Beijing time: a range on the stored
    timestamp itself, which an index serves (a range on its date in Beijing time is not)."""
    zone = timezone.get_current_timezone()
    return (datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(),
                                      tzinfo=zone))


def _registered_in(managers, period: Period):
    start, after = _day_bounds(period)
    return managers.filter(registered_at__gte=start, registered_at__lt=after)


def _registered_managers(plan, scope, today) -> list[tuple]:
    """(district id, year, training level, entry route, employer kind, managers) of the
    managers registered in the plan's period in scope: one grouped read of the registry
    (an index-only scan of talent_registered_cover on PostgreSQL) that the district table and
    the profile breakdown share."""
    from tmhub.orgs.models import Organization

    def read():
        whole, parts = totals.whole_years(plan_period(plan, today))
        found = [(d or None, y, level or None, route or None, kind or None, n)
                 for d, y, level, route, kind, n in totals.read(
                     totals.MANAGERS, whole, scoped_manager_cells(scope)).values_list(
                     "district", "year", "level", "route", "kind", "value")] if whole else []
        for part in parts:
            rows = list(_registered_in(scoped_managers(scope), part)
                        .values_list("work_district_id", "registered_at__year",
                                     "training_level", "entry_route", "employer_id")
                        .order_by().annotate(n=Count("pk")))
            kinds = dict(Organization.objects.filter(pk__in={r[4] for r in rows if r[4]})
                         .values_list("pk", "kind"))
            found += [(d, y, level or None, route or None, kinds.get(employer), n)
                      for d, y, level, route, employer, n in rows]
        return found

    return _memoised(("managers", plan.pk, today), read)


def manager_district_table(plan, scope, today) -> Table:
    """Technology managers entered in the registry by district of work and year."""
    table = Table("managers", _("Registered technology managers by district and year"),
                  [_("District"), _("Year"), _("Registered")])
    period = plan_period(plan, today)
    counts: dict[tuple, int] = defaultdict(int)
    for district_id, year, _level, _route, _kind, n in _registered_managers(plan, scope, today):
        counts[(district_id, year)] += n
    districts = list(districts_in_scope(scope)) if not scope.is_municipal else list(
        District.objects.order_by("sort_order"))
    for year in plan_years(plan):
        if year > period.end.year:
            continue
        for district in districts:
            n = counts.get((district.pk, year), 0)
            if n or scope.is_municipal or district.pk in scope.district_ids:
                table.rows.append([district.name, year, n])
                table.links.append({"year": year, "district": district.pk})
    return table


def manager_breakdown_table(plan, scope, today) -> Table:
    """Managers registered in the plan's period by field (a manager in two fields counts in
    each), training level, entry route and the kind of their employer."""
    from tmhub.core.models import IndustryField
    from tmhub.talent.choices import EntryRoute, TrainingLevel

    period = plan_period(plan, today)
    table = Table("manager-profile", _("Registered managers by field, level, entry route and "
                                       "employer kind"),
                  [_("Dimension"), _("Category"), _("Registered")])
    names = {f.pk: f.name for f in IndustryField.objects.all()}
    # A manager is in a field once (the through table's pairs are unique), so a plain count
    # of the joined rows is the number of managers in each field (a DISTINCT costs a sort of
    # them all); the managers in no field come out as the field None.
    whole, parts = totals.whole_years(period)
    fields: dict = defaultdict(int)
    if whole:
        for field_id, n in totals.read(totals.MANAGER_FIELDS, whole, scoped_manager_cells(
                scope)).values_list("field", "value"):
            fields[field_id or None] += n
    for part in parts:
        for field_id, n in (_registered_in(scoped_managers(scope), part).values_list("fields")
                            .order_by().annotate(n=Count("pk"))):
            fields[field_id] += n
    grouped = _registered_managers(plan, scope, today)
    dimensions = [
        ("field", _("Field"), None, lambda v: names.get(v, _("Field not given"))),
        ("level", _("Training level"), 2,
         lambda v: TrainingLevel(v).label if v in TrainingLevel.values else _("None")),
        ("route", _("Entry route"), 3,
         lambda v: EntryRoute(v).label if v in EntryRoute.values else _("None")),
        ("employer", _("Employer kind"), 4,
         lambda v: OrgKind(v).label if v in OrgKind.values else _("None")),
    ]
    for code, label, position, name in dimensions:
        if position is None:
            counts = fields
        else:
            counts = defaultdict(int)
            for row in grouped:
                counts[row[position]] += row[-1]
        for value in sorted(counts, key=lambda v: (v is None, v)):
            table.rows.append([label, str(name(value)), counts[value]])
            table.links.append({"dimension": code, "value": value if value is not None else ""})
    return table


def registered_institutions_table(plan, scope, today) -> Table:
    """Technology-transfer institutions whose registration was approved in the plan's period,
    by district and kind."""
    from tmhub.orgs.choices import RegistrationStatus
    from tmhub.orgs.models import InstitutionRegistration

    period = plan_period(plan, today)
    table = Table("registry-institutions", _("Registered institutions by district and kind"),
                  [_("District"), _("Institution kind"), _("Registered")])
    rows = in_scope(InstitutionRegistration.objects.filter(
        status=RegistrationStatus.APPROVED,
        decided_at__date__range=(period.start, period.end)), scope, "organization")
    grouped = (rows.values_list("organization__district_id", "organization__kind").order_by()
               .annotate(n=Count("pk")))
    names = {d.pk: d for d in District.objects.all()}
    for district_id, kind, n in sorted(grouped, key=lambda r: (
            names[r[0]].sort_order if r[0] in names else 999, r[1])):
        district = names.get(district_id)
        table.rows.append([district.name if district else _("None"),
                           OrgKind(kind).label if kind in OrgKind.values else kind, n])
        table.links.append({"district": district_id or 0, "kind": kind})
    return table


def stage_medians(projects) -> dict[str, float]:
    """Median days the projects of `projects` spent in each stage they have left, from their
    stage moves (the workflow history; the first stage is entered on the project's start
    date, midnight in Beijing). On PostgreSQL one query (LAG and percentile_cont); elsewhere
    the moves are read and the medians taken here."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tmhub.core.models import WorkflowEvent
    from tmhub.transfer.models import Project

    content_type = ContentType.objects.get_for_model(Project)
    ids_sql, ids_params = projects.order_by().values("pk").query.sql_with_params()
    tz = str(timezone.get_current_timezone())
    if connection.vendor == "postgresql":
        sql = f"""
            WITH moves AS (
              SELECT e.from_state, e.time, COALESCE(LAG(e.time) OVER (
                  PARTITION BY p.id ORDER BY e.time, e.id),
                  (p.started_on::timestamp AT TIME ZONE %s)) AS entered
              FROM core_workflowevent e
              JOIN transfer_project p ON e.object_id = p.id::text
              WHERE e.content_type_id = %s AND e.from_state = ANY(%s) AND e.to_state = ANY(%s)
                AND p.id IN ({ids_sql}))
            SELECT from_state, percentile_cont(0.5) WITHIN GROUP (
              ORDER BY GREATEST(EXTRACT(EPOCH FROM time - entered) / 86400, 0))
            FROM moves GROUP BY from_state"""
        with connection.cursor() as cur:
            cur.execute(sql, [tz, content_type.pk, STAGES, STAGES, *ids_params])
            return {stage: float(median) for stage, median in cur.fetchall()}
    started = dict(projects.values_list("pk", "started_on"))
    local = timezone.get_current_timezone()
    found: dict[str, list[float]] = defaultdict(list)
    entered: dict[int, datetime.datetime] = {}
    events = WorkflowEvent.objects.filter(content_type=content_type, from_state__in=STAGES,
                                          to_state__in=STAGES)
    for object_id, when, source in (events.order_by("object_id", "time", "pk")
                                    .values_list("object_id", "time", "from_state")):
        pk = int(object_id)
        if pk not in started:
            continue
        start = entered.get(pk) or datetime.datetime.combine(started[pk], datetime.time(),
                                                             tzinfo=local)
        found[source].append(max((when - start).total_seconds() / 86400, 0))
        entered[pk] = when
    return {stage: statistics.median(days) for stage, days in found.items()}


STAGES: list[str] = []


def funnel_table(plan, scope, today) -> Table:
    """Projects started in the plan's period: how many reached each stage, the share of those
    that went on to the next, and the median days spent in the stage (moves out of it)."""
    from tmhub.transfer.choices import STAGE_ORDER, Stage
    from tmhub.transfer.models import Project

    STAGES[:] = STAGE_ORDER
    period = plan_period(plan, today)
    table = Table("funnel", _("Transfer funnel by stage"),
                  [_("Stage"), _("Projects reached"), _("Went on to the next stage (%)"),
                   _("Median days in the stage")], series=False, value_col=1)
    projects = in_scope(Project.objects.filter(started_on__range=(period.start, period.end)),
                        scope, "institution")
    at = dict(projects.values_list("stage").order_by().annotate(n=Count("pk")))
    reached = [sum(at.get(s, 0) for s in STAGE_ORDER[i:]) for i in range(len(STAGE_ORDER))]
    medians = stage_medians(projects)
    for i, stage in enumerate(STAGE_ORDER):
        nxt = reached[i + 1] if i + 1 < len(STAGE_ORDER) else None
        conversion = round(100 * nxt / reached[i], 1) if nxt is not None and reached[i] else None
        median = medians.get(stage)
        table.rows.append([Stage(stage).label, reached[i], conversion,
                           round(median, 1) if median is not None else None])
        table.links.append({"stage": stage})
    return table


def titles_table(plan, scope, today) -> Table:
    """Title applications decided in the plan's period by level, by direction and by the
    applicant's kind of institution: decided, approved, pass rate — the title bureau's own
    pass rates (evaluation.services.results.pass_rates), in the reader's scope."""
    from tmhub.evaluation.models.applications import TitleApplication
    from tmhub.evaluation.services.results import pass_rates

    table = Table("titles", _("Title pass rates by level, direction and institution kind"),
                  [_("Dimension"), _("Category"), _("Applications decided"), _("Approved"),
                   _("Pass rate (%)")], series=False, value_col=4, category_col=1)
    rates = pass_rates(in_scope(TitleApplication.objects.all(), scope, "institution"),
                       plan_period(plan, today))
    labels = {"level": _("Level"), "direction": _("Direction"),
              "institution_kind": _("Institution kind")}
    for dimension, label in labels.items():
        for rate in rates[dimension]:
            table.rows.append([label, rate.label, rate.decided, rate.approved,
                               float(rate.rate) if rate.rate is not None else None])
            table.links.append({"dimension": dimension, "value": rate.key})
    return table


def ratings_table(plan, scope, today) -> Table:
    """Ratings given on finished collaborations in the plan's period, by overall score
    (rounded to the whole star) and side."""
    from tmhub.network.models import Rating

    period = plan_period(plan, today)
    table = Table("ratings", _("Rating distribution"),
                  [_("Overall score"), _("Ratings")], series=False, value_col=1)
    rows = in_scope(Rating.objects.filter(created_at__date__range=(period.start, period.end)),
                    scope, "collaboration__provider")
    counts: dict[int, int] = defaultdict(int)
    for overall in rows.values_list("overall", flat=True):
        counts[star(overall)] += 1
    for band in range(1, 6):
        table.rows.append([f"{band} ★", counts.get(band, 0)])
        table.links.append({"band": band})
    return table


def star(overall) -> int:
    """The whole star a score rounds to (half up), 1 to 5."""
    return min(max(int(float(overall) + 0.5), 1), 5)


def pilots_table(plan, scope, today) -> Table:
    """Pilots running in the plan's period by programme: pilots, pilots closed and their mean
    overall KPI attainment."""
    from tmhub.pilots.models import Pilot

    period = plan_period(plan, today)
    table = Table("pilots", _("Pilots' KPI attainment by programme"),
                  [_("Funding programme"), _("Pilots"), _("Closed"), _("Mean KPI attainment (%)")],
                  series=False, value_col=3)
    rows = in_scope(Pilot.objects.filter(starts_on__lte=period.end, ends_on__gte=period.start),
                    scope, "institution")
    by_programme: dict[int, list] = defaultdict(list)
    for programme_id, attainment, closed in rows.values_list(
            "programme_id", "overall_attainment", "closed_on"):
        by_programme[programme_id].append((attainment, closed))
    from tmhub.pilots.models import Programme

    for programme in Programme.objects.filter(pk__in=by_programme).order_by("code"):
        mine = by_programme[programme.pk]
        scored = [float(a) for a, _c in mine if a is not None]
        table.rows.append([programme.name, len(mine), sum(1 for _a, c in mine if c),
                           round(sum(scored) / len(scored), 1) if scored else None])
        table.links.append({"programme": programme.pk})
    return table


def tables(plan, scope, today) -> list[Table]:
    token = _MEMO.set({})
    try:
        return [builder(plan, scope, today) for builder in TABLES.values()]
    finally:
        _MEMO.reset(token)


TABLES = {
    "targets": lambda plan, scope, today: targets_table(plan, today),
    "managers": manager_district_table,
    "manager-profile": manager_breakdown_table,
    "registry-institutions": registered_institutions_table,
    "funnel": funnel_table,
    "institutions": lambda plan, scope, today: institution_kind_table(plan, scope),
    "contract-districts": lambda plan, scope, today: contract_district_table(plan, scope),
    "contract-fields": contract_field_table,
    "titles": titles_table,
    "ratings": ratings_table,
    "pilots": pilots_table,
    "districts": lambda plan, scope, today: district_table(plan, scope),
    "financing": lambda plan, scope, today: financing_table(plan, scope),
}


def option_for(table: Table) -> dict:
    """The ECharts option of a table: bars of its value column per category (the first
    column), one series per value of the second column where it splits them (a year)."""
    base = {"color": PALETTE, "tooltip": {"trigger": "axis"}, "animation": False,
            "grid": {"left": 48, "right": 24, "top": 40, "bottom": 60, "containLabel": True}}
    # one bar per row without series (the data below is one value per row)
    categories = (list(dict.fromkeys(str(r[0]) for r in table.rows)) if table.series
                  else [str(r[table.category_col]) for r in table.rows])
    axis = {"type": "category", "data": categories,
            "axisLabel": {"interval": 0, "rotate": 30 if len(categories) > 6 else 0}}
    column = str(table.columns[table.value_col])
    if not table.series:
        return {**base, "xAxis": axis, "yAxis": {"type": "value", "name": column},
                "series": [{"type": "bar", "name": column,
                            "data": [r[table.value_col] for r in table.rows]}]}
    splits = list(dict.fromkeys(str(r[1]) for r in table.rows))
    cell = {(str(r[0]), str(r[1])): r[table.value_col] for r in table.rows}
    return {**base, "legend": {"top": 0}, "xAxis": axis,
            "yAxis": {"type": "value", "name": column},
            "series": [{"type": "bar", "name": split,
                        "data": [cell.get((c, split), 0) for c in categories]}
                       for split in splits]}
