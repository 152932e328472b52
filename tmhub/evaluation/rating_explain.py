"""How a rating was computed, row by row (issue 17 item 4), for the rating page and the API.

Each node of the tree gives one row: its weight, the metric it read and the metric's
definition (computed leaves), the raw value, the points and the contribution to the total, a
sentence saying how the points came (`scoring.explain`), and — where a list page of the
records exists — a link to the records behind it (the contracts or projects lists, filtered)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from tmhub.core import metrics
from tmhub.evaluation import scoring
from tmhub.evaluation.models import Indicator, Rating, RatingItem
from tmhub.evaluation.rating_choices import IndicatorKind, SubjectKind

CONTRACT_METRICS = {"transfer_deals", "transfer_contracts_signed", "transfer_contract_value_fen",
                    "transfer_income_fen", "transfer_net_income_fen",
                    "institution_contracts_signed", "institution_income_fen"}
PROJECT_METRICS = {"transfer_projects_served", "transfer_active_projects"}


@dataclass
class Row:
    indicator: Indicator
    depth: int
    kind: str
    weight: Decimal
    metric_key: str
    metric_label: str
    metric_definition: str
    unit: str
    source: str
    raw_value: Decimal | None
    points: Decimal
    contribution: Decimal
    explanation: str
    records_url: str


def _unit_label(unit: str) -> str:
    return {metrics.FEN: _("yuan"), metrics.HOURS: _("class hours"),
            metrics.COUNT: _("count"), metrics.SCORE: _("score")}.get(unit, unit)


def records_url(rating: Rating, metric_key: str, viewer_id: int | None) -> str:
    """The list page of the records behind a computed leaf, filtered, or ""."""
    year = ""
    if rating.round.period_start.year == rating.round.period_end.year:
        year = str(rating.round.period_end.year)
    if metric_key in CONTRACT_METRICS:
        url = reverse("transfer:contract-list")
        return f"{url}?year={year}" if year else url
    if metric_key in PROJECT_METRICS and rating.subject_kind == SubjectKind.MANAGER and \
            viewer_id == rating.manager_id:
        return reverse("transfer:project-list") + "?mine=true"
    return ""


def describe_curve(data) -> str:
    """A stored curve in words ("" when there is none or it is malformed)."""
    if not data:
        return ""
    try:
        curve = scoring.curve_from_data(data)
    except scoring.CurveError:
        return _("The scoring curve is not well formed.")
    if isinstance(curve, scoring.Linear):
        return _("from %(zero)s (0 points) to %(full)s (100 points)") % {
            "zero": scoring.shown(curve.zero), "full": scoring.shown(curve.full)}
    return "; ".join(_("≥ %(minimum)s: %(points)s points") % {
        "minimum": scoring.shown(m), "points": scoring.shown(p)} for m, p in curve.steps)


def _cent(value) -> Decimal:
    return Decimal(value).quantize(scoring.CENT, ROUND_HALF_UP)


def rows_of(rating: Rating, viewer_id: int | None = None) -> list[Row]:
    """Every node of the rating's system in tree order, with its item."""
    indicators = list(Indicator.objects.filter(system_id=rating.system_id)
                      .order_by("order", "id"))
    items = {i.indicator_id: i for i in RatingItem.objects.filter(rating=rating)}
    children: dict[int | None, list[Indicator]] = {}
    for indicator in indicators:
        children.setdefault(indicator.parent_id, []).append(indicator)
    rows: list[Row] = []

    def visit(indicator: Indicator, depth: int) -> None:
        item = items.get(indicator.pk)
        metric = None
        if indicator.kind == IndicatorKind.COMPUTED:
            try:
                metric = metrics.get(indicator.metric_key)
            except LookupError:
                metric = None
        curve = None
        if indicator.kind == IndicatorKind.COMPUTED:
            try:
                curve = scoring.curve_from_data(indicator.curve)
            except scoring.CurveError:
                curve = None
        node = scoring.Node(code=indicator.code, kind=indicator.kind, weight=indicator.weight,
                            curve=curve)
        explanation = ""
        if item is not None and (curve is not None or indicator.kind != IndicatorKind.COMPUTED):
            explanation = scoring.explain(node, scoring.Item(
                code=indicator.code, kind=indicator.kind, source=item.source,
                raw=item.raw_value, points=item.points, contribution=item.contribution,
                reviewer_count=item.reviewer_count),
                unit_label=_unit_label(metric.unit) if metric else "")
        rows.append(Row(
            indicator=indicator, depth=depth, kind=indicator.kind, weight=indicator.weight,
            metric_key=indicator.metric_key,
            metric_label=str(metric.label) if metric else "",
            metric_definition=str(metric.definition) if metric else "",
            unit=_unit_label(metric.unit) if metric else "",
            source=item.source if item else "",
            raw_value=item.raw_value.normalize() if item and item.raw_value is not None
            else None,
            points=_cent(item.points) if item else Decimal(0),
            contribution=_cent(item.contribution) if item else Decimal(0),
            explanation=explanation,
            records_url=records_url(rating, indicator.metric_key, viewer_id)
            if indicator.kind == IndicatorKind.COMPUTED else ""))
        for child in children.get(indicator.pk, ()):
            visit(child, depth + 1)

    for top in children.get(None, ()):
        visit(top, 0)
    return rows
