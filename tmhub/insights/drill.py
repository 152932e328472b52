"""Drill-down from a dashboard figure to the records behind it: district → institution →
records, always inside the reader's scope (the same scope functions as the figures).

Each chart names the records that make up its rows (`records`: the scoped queryset cut to one
row's filters), where their district and institution are, what each step counts and the
columns of the record list. A row's link carries its filters (year, kind, stage …); the drill
page groups those records by district, then by institution of the chosen district, then lists
them. A chart whose records have no institution (landings, financing) goes from the district
straight to the records."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import Period
from tmhub.insights import dashboard


@dataclass(frozen=True)
class Drill:
    records: Callable  # (plan, scope, today, filters) -> queryset
    district: str | None  # path to the district's id
    institution: str | None  # path to the institution's id
    columns: tuple  # ((label, record -> value), …)
    amount: str | None = None  # a money field summed beside the count, in fen


def _year_period(plan, today, filters) -> Period:
    period = dashboard.plan_period(plan, today)
    year = filters.get("year")
    if year:
        period = Period(max(period.start, datetime.date(year, 1, 1)),
                        min(period.end, datetime.date(year, 12, 31)))
    return period


def _window(plan, today, filters):
    period = _year_period(plan, today, filters)
    return (period.start, period.end)


def _contracts(plan, scope, today, filters):
    from tmhub.transfer.models import Contract

    rows = Contract.objects.filter(signed_on__range=_window(plan, today, filters),
                                   institution__in=dashboard.institutions_in_scope(scope))
    if filters.get("kind"):
        rows = rows.filter(institution__kind=filters["kind"])
    if "field" in filters:
        rows = rows.filter(project__field_id=filters["field"] or None) if filters["field"] \
            else rows.filter(Q(project__isnull=True) | Q(project__field__isnull=True))
    return rows.select_related("institution")


def _managers(plan, scope, today, filters):
    start, end = _window(plan, today, filters)
    rows = dashboard.scoped_managers(scope).filter(registered_at__date__range=(start, end))
    dimension, value = filters.get("dimension"), filters.get("value", "")
    path = {"field": "fields", "level": "training_level", "route": "entry_route",
            "employer": "employer__kind"}.get(dimension)
    if path and value != "":
        rows = rows.filter(**{path: value})
    elif path in ("fields", "employer__kind"):
        rows = rows.filter(**{f"{path}__isnull": True})
    elif path:
        rows = rows.filter(**{path: ""})
    return rows.distinct().select_related("employer", "work_district")


def _target_managers(plan, scope, today, filters):
    """The managers a target counts (a figure above zero over the plan's period)."""
    from tmhub.core import metrics
    from tmhub.insights.figures import target_progress
    from tmhub.insights.models import PlanTarget

    target = PlanTarget.objects.filter(plan=plan, pk=filters.get("target")).first()
    managers = dashboard.scoped_managers(scope)
    if target is None:
        return managers.none()
    end = target_progress(target, today)["as_of"]
    try:
        metric = metrics.get(target.metric_key)
    except LookupError:
        return managers.none()
    if metric.subject != metrics.MANAGER or end < plan.start:
        return managers.none()
    values = metric.values(list(managers.values_list("user_id", flat=True)),
                           Period(plan.start, end))
    return managers.filter(user_id__in=[i for i, v in values.items() if v and v > 0]) \
        .select_related("employer", "work_district")


def _registrations(plan, scope, today, filters):
    from tmhub.orgs.choices import RegistrationStatus
    from tmhub.orgs.models import InstitutionRegistration

    start, end = _window(plan, today, filters)
    rows = dashboard.in_scope(InstitutionRegistration.objects.filter(
        status=RegistrationStatus.APPROVED, decided_at__date__range=(start, end)),
        scope, "organization")
    if filters.get("kind"):
        rows = rows.filter(organization__kind=filters["kind"])
    return rows.select_related("organization")


def _projects(plan, scope, today, filters):
    from tmhub.transfer.choices import STAGE_ORDER
    from tmhub.transfer.models import Project

    rows = dashboard.in_scope(Project.objects.filter(
        started_on__range=_window(plan, today, {})), scope, "institution")
    stage = filters.get("stage")
    if stage in STAGE_ORDER:
        rows = rows.filter(stage__in=STAGE_ORDER[STAGE_ORDER.index(stage):])
    return rows.select_related("institution")


def _titles(plan, scope, today, filters):
    from tmhub.evaluation.models import TitleApplication
    from tmhub.evaluation.services.results import decided_in

    rows = dashboard.in_scope(decided_in(TitleApplication.objects.all(),
                                         Period(*_window(plan, today, {}))),
                              scope, "institution")
    path = {"level": "level__code", "direction": "direction__code",
            "institution_kind": "institution__kind"}.get(filters.get("dimension"))
    if path and filters.get("value"):
        rows = rows.filter(**{path: filters["value"]})
    return rows.select_related("institution", "applicant", "level", "direction")


def _ratings(plan, scope, today, filters):
    from tmhub.network.models import Rating

    start, end = _window(plan, today, {})
    rows = dashboard.in_scope(Rating.objects.filter(created_at__date__range=(start, end)),
                              scope, "collaboration__provider")
    band = filters.get("band")
    if band:  # scores rounding (half up) to the band's whole star
        low = 0 if band == 1 else band - 0.5
        high = 99 if band == 5 else band + 0.5
        rows = rows.filter(overall__gte=low, overall__lt=high)
    return rows.select_related("collaboration__provider")


def _pilots(plan, scope, today, filters):
    from tmhub.pilots.models import Pilot

    start, end = _window(plan, today, {})
    rows = dashboard.in_scope(Pilot.objects.filter(starts_on__lte=end, ends_on__gte=start),
                              scope, "institution")
    if filters.get("programme"):
        rows = rows.filter(programme_id=filters["programme"])
    return rows.select_related("institution", "programme")


def _landings(plan, scope, today, filters):
    from tmhub.districts.models import Landing

    return Landing.objects.filter(occurred_on__range=_window(plan, today, filters),
                                  district__in=dashboard.districts_in_scope(scope))


def _financing(plan, scope, today, filters):
    from tmhub.network.models import Financing

    return Financing.objects.effective().filter(
        financed_on__range=_window(plan, today, filters),
        district__in=dashboard.districts_in_scope(scope))


def _yuan(fen):
    return dashboard._yuan(fen)


_MANAGER_COLUMNS = (
    (_("Name"), lambda r: r.full_name), (_("Employer"), lambda r: r.employer),
    (_("District"), lambda r: r.work_district), (_("Registry number"), lambda r: r.registry_number),
)
_CONTRACT_COLUMNS = (
    (_("Number"), lambda r: r.number), (_("Title"), lambda r: r.title),
    (_("Institution"), lambda r: r.institution), (_("Signing date"), lambda r: r.signed_on),
    (_("Contract amount (yuan)"), lambda r: _yuan(r.amount_fen)),
)

DRILLS: dict[str, Drill] = {
    "targets": Drill(_target_managers, "work_district_id", "employer_id", _MANAGER_COLUMNS),
    "managers": Drill(_managers, "work_district_id", "employer_id", _MANAGER_COLUMNS),
    "manager-profile": Drill(_managers, "work_district_id", "employer_id", _MANAGER_COLUMNS),
    "registry-institutions": Drill(_registrations, "organization__district_id",
                                   "organization_id", (
        (_("Institution"), lambda r: r.organization), (_("Registry number"),
                                                        lambda r: r.registry_number),
        (_("Decided at"), lambda r: r.decided_at.date() if r.decided_at else None))),
    "funnel": Drill(_projects, "institution__district_id", "institution_id", (
        (_("Project"), lambda r: r.title), (_("Institution"), lambda r: r.institution),
        (_("Stage"), lambda r: r.get_stage_display()), (_("Start date"), lambda r: r.started_on))),
    "institutions": Drill(_contracts, "institution__district_id", "institution_id",
                          _CONTRACT_COLUMNS, amount="amount_fen"),
    "contract-districts": Drill(_contracts, "institution__district_id", "institution_id",
                                _CONTRACT_COLUMNS, amount="amount_fen"),
    "contract-fields": Drill(_contracts, "institution__district_id", "institution_id",
                             _CONTRACT_COLUMNS, amount="amount_fen"),
    "titles": Drill(_titles, "institution__district_id", "institution_id", (
        (_("Applicant"), lambda r: r.applicant.full_name), (_("Institution"),
                                                           lambda r: r.institution),
        (_("Level"), lambda r: r.level), (_("Direction"), lambda r: r.direction),
        (_("Status"), lambda r: r.get_status_display()))),
    "ratings": Drill(_ratings, "collaboration__provider__district_id",
                     "collaboration__provider_id", (
        (_("provider organisation"), lambda r: r.collaboration.provider), (_("side"),
                                                              lambda r: r.get_rater_side_display()),
        (_("Overall score"), lambda r: r.overall),
        (_("Date"), lambda r: r.created_at.date()))),
    "pilots": Drill(_pilots, "institution__district_id", "institution_id", (
        (_("Project code"), lambda r: r.code), (_("Title"), lambda r: r.title),
        (_("Institution"), lambda r: r.institution),
        (_("Funding programme"), lambda r: r.programme),
        (_("Overall KPI attainment (%)"), lambda r: r.overall_attainment))),
    "districts": Drill(_landings, "district_id", None, (
        (_("What landed"), lambda r: r.title), (_("Kind of landing"),
                                                lambda r: r.get_kind_display()),
        (_("Date"), lambda r: r.occurred_on), (_("Amount (yuan)"), lambda r: _yuan(r.amount_fen))),
        amount="amount_fen"),
    "financing": Drill(_financing, "district_id", None, (
        (_("Company"), lambda r: r.company or r.investor_name), (_("Date"),
                                                                 lambda r: r.financed_on),
        (_("Amount (yuan)"), lambda r: _yuan(r.amount_fen))), amount="amount_fen"),
}

INT_FILTERS = ("year", "district", "institution", "field", "level", "band", "programme",
               "target")
TEXT_FILTERS = ("kind", "stage", "dimension", "value")


def parse_filters(query) -> dict:
    """The drill filters of a request's query string (bad numbers are dropped)."""
    found: dict = {}
    for name in INT_FILTERS:
        raw = query.get(name)
        if raw is not None and raw.lstrip("-").isdigit():
            found[name] = int(raw)
    for name in TEXT_FILTERS:
        if name in query:
            found[name] = query.get(name)[:40]
    return found


def grouped(rows, path: str, amount: str | None):
    """[(id, count, amount in fen)] of `rows` by `path`, largest count first."""
    annotations = {"n": Count("pk", distinct=True)}
    if amount:
        annotations["total"] = Sum(amount)
    result = rows.order_by().values(path).annotate(**annotations)
    return sorted(((r[path], r["n"], r.get("total") or 0) for r in result),
                  key=lambda r: (-r[1], r[0] or 0))
