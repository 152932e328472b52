"""ECharts options for the dashboard's tables (rendered by static/training/dashboard.js)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tmhub.training.dashboard.data import Table

PALETTE = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#0dcaf0"]
# The progress lines: what has happened, the projection while the plan runs, the target.
# The projection starts at this month's figure, so it continues the actual line.
PROGRESS_STYLES = {
    "actual": {"type": "line", "areaStyle": {"opacity": 0.15}},
    "projected": {"type": "line", "lineStyle": {"type": "dashed"}, "symbol": "none"},
    "target": {"type": "line", "lineStyle": {"type": "dotted"}, "symbol": "none"},
}
# A legend above the plot stays on one line (scrolling on a phone rather than wrapping into the
# plot), with room left for it and for the axis names under it.
LEGEND_ON_TOP = {"legend": {"type": "scroll", "top": 0, "left": "center"},
                 "grid": {"left": 48, "right": 24, "top": 56, "bottom": 40, "containLabel": True}}


def _num(value):
    if isinstance(value, Decimal):
        return float(value)  # only for drawing; the exports keep the Decimal
    return value


def option_for(table: Table) -> dict:
    base = {"color": PALETTE, "tooltip": {"trigger": "axis"}, "animation": False,
            "grid": {"left": 48, "right": 24, "top": 40, "bottom": 60, "containLabel": True}}
    if table.kind == "pie":
        return {
            **base, "tooltip": {"trigger": "item"}, "legend": {"type": "scroll", "bottom": 0},
            "series": [{"type": "pie", "radius": ["30%", "58%"], "center": ["50%", "45%"],
                        "name": table.title,
                        "data": [{"name": r[0], "value": _num(r[1])} for r in table.rows]}],
        }
    labels = [r[0] for r in table.rows]
    if table.kind == "progress":
        series = [{"name": name, "connectNulls": False, "showSymbol": False,
                   **PROGRESS_STYLES[role], "data": [_num(r[index]) for r in table.rows]}
                  for index, (name, role) in enumerate(
                      zip(table.columns[1:], table.roles, strict=True), start=1)]
        return {**base, **LEGEND_ON_TOP, "xAxis": {"type": "category", "data": labels},
                "yAxis": {"type": "value", "name": _("Managers")}, "series": series,
                "dataZoom": [{"type": "inside"}]}
    if table.key == "completion":
        return {
            **base, **LEGEND_ON_TOP,
            "xAxis": {"type": "category", "data": labels},
            "yAxis": [{"type": "value", "name": _("Enrolments")},
                      {"type": "value", "name": "%", "max": 100}],
            "series": [
                {"type": "bar", "stack": "n", "name": table.columns[1],
                 "data": [_num(r[1]) for r in table.rows]},
                {"type": "bar", "stack": "n", "name": table.columns[2],
                 "data": [_num(r[2]) for r in table.rows]},
                {"type": "line", "yAxisIndex": 1, "name": table.columns[3],
                 "data": [_num(r[3]) for r in table.rows]},
            ],
        }
    horizontal = len(labels) > 8 and table.key not in ("enrolments", "hours")
    category = {"type": "category", "data": labels,
                "axisLabel": {"interval": 0 if horizontal else "auto"}}
    value = {"type": "value"}
    return {
        **base,
        "xAxis": value if horizontal else category,
        "yAxis": {**category, "inverse": True} if horizontal else value,
        "series": [{"type": "bar", "name": table.columns[1],
                    "data": [_num(r[1]) for r in table.rows],
                    "label": {"show": horizontal, "position": "right"}}],
    }
