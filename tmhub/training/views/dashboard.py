"""The progress dashboard and the xlsx export behind each of its charts."""

from operator import itemgetter

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.tabular.exporting import ExportColumn, export_rows
from tmhub.training.dashboard.cache import cached
from tmhub.training.dashboard.charts import option_for
from tmhub.training.dashboard.data import TABLE_BUILDERS, DashboardData
from tmhub.training.dashboard.population import has_profiles, is_city_wide
from tmhub.training.models import DashboardFigure


def _scope_or_404(request):
    if not policies.allows(request.user, "view_dashboard", DashboardFigure):
        raise Http404
    return get_scope(request.user)


@login_required
def dashboard(request):
    scope = _scope_or_404(request)
    data = DashboardData(scope)
    tables, progress, totals = cached(scope, data.today, "all", data.tables)
    charts = [{"key": t.key, "title": t.title, "option": option_for(t), "rows": len(t.rows),
               "script_id": f"option-{t.key}"} for t in tables]
    return render(request, "training/dashboard.html", {
        "charts": charts, "progress": progress, "totals": totals,
        "city_wide": is_city_wide(scope), "has_profiles": has_profiles(), "today": data.today,
    })


@login_required
def dashboard_export(request, chart):
    scope = _scope_or_404(request)
    builder = TABLE_BUILDERS.get(chart)
    if builder is None or (chart in ("route", "field") and not has_profiles()):
        raise Http404
    data = DashboardData(scope)
    table = cached(scope, data.today, chart, lambda: builder(data))
    columns = [ExportColumn(label, itemgetter(i)) for i, label in enumerate(table.columns)]
    return export_rows(table.rows, columns, "xlsx", f"training-{chart}")
