"""The city dashboard of a plan: charts with the numbers behind them and an xlsx download of
each, in the reader's scope (tmhub.insights.dashboard)."""

from __future__ import annotations

from operator import itemgetter
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.listing import page_or_404
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.core.tabular.exporting import ExportColumn, export_rows
from tmhub.insights import dashboard, drill
from tmhub.insights.models import Plan


def _plan(request, pk):
    return get_restricted_or_404(Plan.objects.prefetch_related("targets"), request.user, pk=pk)


@login_required
@require_GET
def plan_dashboard(request, pk):
    plan = _plan(request, pk)
    scope = get_scope(request.user)
    today = timezone.localdate()
    tables = dashboard.tables(plan, scope, today)
    charts = []
    for t in tables:
        base = reverse("insights:dashboard-drill", args=[plan.pk, t.key])
        urls = [f"{base}?{urlencode(link)}" if link is not None else None for link in t.links]
        charts.append({"table": t, "option": dashboard.option_for(t),
                       "script_id": f"option-{t.key}", "drill_id": f"drill-{t.key}",
                       "rows": list(zip(t.rows, urls)),
                       # a click on a bar opens the first row of its category
                       "drill": {str(row[0]): url for row, url in reversed(list(zip(t.rows, urls)))
                                 if url}})
    return render(request, "insights/dashboard.html", {
        "plan": plan, "charts": charts, "today": today,
        "city_wide": scope.is_municipal or scope.has_role(Role.DEPARTMENT_OFFICER),
        "districts": dashboard.districts_in_scope(scope) if not scope.is_municipal else None,
    })


@login_required
@require_GET
def dashboard_export(request, pk, chart):
    plan = _plan(request, pk)
    builder = dashboard.TABLES.get(chart)
    if builder is None:
        raise Http404
    table = builder(plan, get_scope(request.user), timezone.localdate())
    columns = [ExportColumn(label, itemgetter(i)) for i, label in enumerate(table.columns)]
    return export_rows(table.rows, columns, "xlsx", f"dashboard-{chart}")


@login_required
@require_GET
def dashboard_drill(request, pk, chart):
    """The records behind a dashboard figure: by district, then by institution of the chosen
    district, then the records themselves — in the reader's scope."""
    plan = _plan(request, pk)
    spec = drill.DRILLS.get(chart)
    builder = dashboard.TABLES.get(chart)
    if spec is None or builder is None:
        raise Http404
    scope = get_scope(request.user)
    today = timezone.localdate()
    filters = drill.parse_filters(request.GET)
    rows = spec.records(plan, scope, today, filters)
    row_filters = {k: v for k, v in filters.items() if k not in ("district", "institution")}
    district = institution = None
    if "district" in filters and spec.district:
        if filters["district"]:
            district = dashboard.districts_in_scope(scope).filter(
                pk=filters["district"]).first() if not scope.is_municipal else \
                District.objects.filter(pk=filters["district"]).first()
            if district is None:
                raise Http404
        rows = rows.filter(**{spec.district: district.pk if district else None})
    if "institution" in filters and spec.institution:
        from tmhub.orgs.models import Organization

        institution = Organization.objects.filter(pk=filters["institution"]).first()
        if institution is None:
            raise Http404
        rows = rows.filter(**{spec.institution: institution.pk})
    base = reverse("insights:dashboard-drill", args=[plan.pk, chart])
    level, groups, page = "records", [], None
    if spec.district and "district" not in filters:
        level = "district"
        names = {d.pk: d.name for d in District.objects.all()}
        for key, n, total in drill.grouped(rows, spec.district, spec.amount):
            groups.append((names.get(key, "—"), n, dashboard._yuan(total),
                           f"{base}?{urlencode({**row_filters, 'district': key or 0})}"))
    elif spec.institution and "institution" not in filters:
        level = "institution"
        from tmhub.orgs.models import Organization

        found = drill.grouped(rows, spec.institution, spec.amount)
        here = {**row_filters, "district": filters.get("district", 0)}
        names = {o.pk: o.name for o in Organization.objects.filter(pk__in=[k for k, *_r in found])}
        for key, n, total in found:
            groups.append((names.get(key, "—"), n, dashboard._yuan(total),
                           f"{base}?{urlencode({**here, 'institution': key})}" if key else None))
    else:
        page = page_or_404(rows.order_by("-pk"), request, per_page=50)
        page.cells = [[getter(record) for _label, getter in spec.columns]
                      for record in page.object_list]
    return render(request, "insights/dashboard_drill.html", {
        "plan": plan, "chart": chart, "title": builder(plan, scope, today).title, "level": level,
        "groups": groups, "page": page, "columns": [label for label, _g in spec.columns],
        "district": district, "institution": institution, "filters": row_filters,
        "has_amount": bool(spec.amount),
        "dashboard_url": reverse("insights:dashboard", args=[plan.pk]) + f"#section-{chart}",
        "up_url": f"{base}?{urlencode(row_filters)}",
        "district_url": f"{base}?{urlencode({**row_filters, 'district': filters['district']})}"
        if "district" in filters else None,
    })
