"""ECharts options for the dashboard's tables (rendered by static/training/dashboard.js)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tmhub.training.dashboard.data import Table

PALETTE = ["#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#0dcaf0"]


def _num(value):
    if isinstance(value, Decimal):
        return float(value)  # only for drawing; the exports keep the Decimal
    return value


def option_for(table: Table) -> dict:
    base = {"color": PALETTE, "tooltip": {"trigger": "axis"}, "animation": False,
            "grid": {"left": 48, "right": 24, "top": 40, "bottom": 60, "containLabel": True}}
    if table.kind == "pie":
        return {
            **base, "tooltip": {"trigger": "item"}, "legend": {"bottom": 0},
            "series": [{"type": "pie", "radius": ["35%", "65%"], "name": table.title,
                        "data": [{"name": r[0], "value": _num(r[1])} for r in table.rows]}],
        }
    labels = [r[0] for r in table.rows]
    if table.kind == "progress":
        series = []
        for index, (name, style) in enumerate(
            [(table.columns[1], {"type": "line", "areaStyle": {"opacity": 0.15}}),
             (table.columns[2], {"type": "line", "lineStyle": {"type": "dashed"}}),
             (table.columns[3], {"type": "line", "lineStyle": {"type": "dotted"},
                                 "symbol": "none"})], start=1):
            series.append({"name": name, "connectNulls": False, "showSymbol": False, **style,
                           "data": [_num(r[index]) for r in table.rows]})
        return {**base, "legend": {"top": 0}, "xAxis": {"type": "category", "data": labels},
                "yAxis": {"type": "value", "name": _("Managers")}, "series": series,
                "dataZoom": [{"type": "inside"}]}
    if table.key == "completion":
        return {
            **base, "legend": {"top": 0},
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
