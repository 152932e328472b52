"""The city dashboard of a plan: charts with the numbers behind them and an xlsx download of
each, in the reader's scope (tmhub.insights.dashboard)."""

from __future__ import annotations

from operator import itemgetter

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.roles import Role
from tmhub.core.tabular.exporting import ExportColumn, export_rows
from tmhub.insights import dashboard
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
    charts = [{"table": t, "option": dashboard.option_for(t), "script_id": f"option-{t.key}"}
              for t in tables]
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
