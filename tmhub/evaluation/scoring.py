"""Weighted scoring of an indicator tree, as a pure function (issue 17 item 1).

Nothing here reads the database: the caller passes the tree (`Node`s built from a frozen
indicator system), the raw value of every computed leaf (the metric's figure, money in yuan)
and the reviewers' scores of every scored leaf; `score` answers the points of every node, the
total and the level, and `explain` says in words how a leaf got its points.

- A computed leaf's points come from its curve: `Thresholds` (the points of the highest
  minimum reached; minimums strictly rising, points never falling) or `Linear` (0 points at
  `zero` or below, 100 at `full` or above, a straight line between).
- A scored leaf's points are the mean of its reviewers' scores (0–100); none yet: 0 points.
- A dimension's points are the weighted sum of its children's; the total the weighted sum
  of the top level. Weights are percent and sum to 100 at every level (`weight_errors`).
- The total is rounded half up to 0.01 only at the end; the level is the highest band whose
  minimum the rounded total reaches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")
FINE = Decimal("0.0001")

DIMENSION, COMPUTED, SCORED = "dimension", "computed", "scored"
THRESHOLDS, LINEAR = "thresholds", "linear"


class CurveError(ValueError):
    """A scoring curve that is not well formed (the message says why)."""


def _d(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def shown(value) -> str:
    """A Decimal as people write it: no exponent, no trailing zeros."""
    value = _d(value)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


# ---------------------------------------------------------------- curves
@dataclass(frozen=True)
class Thresholds:
    steps: tuple[tuple[Decimal, Decimal], ...]  # (minimum value, points), minimums rising

    def points(self, value: Decimal) -> Decimal:
        reached = ZERO
        for minimum, points in self.steps:
            if value >= minimum:
                reached = points
        return reached

    def explain(self, value: Decimal) -> str:
        met = [(m, p) for m, p in self.steps if value >= m]
        if not met:
            return _("%(value)s is below the first threshold (%(minimum)s): 0 points.") % {
                "value": shown(value), "minimum": shown(self.steps[0][0])}
        minimum, points = met[-1]
        return _("%(value)s reaches the threshold %(minimum)s: %(points)s points.") % {
            "value": shown(value), "minimum": shown(minimum), "points": shown(points)}

    def as_data(self) -> dict:
        return {"kind": THRESHOLDS, "steps": [[shown(m), shown(p)] for m, p in self.steps]}


@dataclass(frozen=True)
class Linear:
    zero: Decimal  # value at 0 points
    full: Decimal  # value at 100 points

    def points(self, value: Decimal) -> Decimal:
        if value <= self.zero:
            return ZERO
        if value >= self.full:
            return HUNDRED
        return (value - self.zero) * HUNDRED / (self.full - self.zero)

    def explain(self, value: Decimal) -> str:
        return _("%(value)s on the band from %(zero)s (0 points) to %(full)s (100 points): "
                 "%(points)s points.") % {
            "value": shown(value), "zero": shown(self.zero), "full": shown(self.full),
            "points": shown(self.points(value).quantize(CENT, ROUND_HALF_UP))}

    def as_data(self) -> dict:
        return {"kind": LINEAR, "zero": shown(self.zero), "full": shown(self.full)}


def curve_from_data(data: Mapping) -> Thresholds | Linear:
    """The curve stored as `data` (an indicator's `curve` JSON); CurveError when malformed."""
    if not isinstance(data, Mapping):
        raise CurveError(_("A computed indicator needs a scoring curve."))
    kind = data.get("kind")
    try:
        if kind == THRESHOLDS:
            steps = tuple((_d(m), _d(p)) for m, p in data.get("steps") or ())
            if not steps:
                raise CurveError(_("Give at least one threshold."))
            for (m1, p1), (m2, p2) in zip(steps, steps[1:], strict=False):
                if m2 <= m1:
                    raise CurveError(_("Threshold minimums must rise."))
                if p2 < p1:
                    raise CurveError(_("Points must not fall as the minimum rises."))
            if any(not ZERO <= p <= HUNDRED for _m, p in steps):
                raise CurveError(_("Points lie between 0 and 100."))
            return Thresholds(steps)
        if kind == LINEAR:
            zero, full = _d(data["zero"]), _d(data["full"])
            if full <= zero:
                raise CurveError(_("The value at full points must exceed the value at 0 "
                                   "points."))
            return Linear(zero, full)
    except (KeyError, TypeError, ArithmeticError, ValueError) as exc:
        if isinstance(exc, CurveError):
            raise
        raise CurveError(_("The scoring curve is not well formed.")) from exc
    raise CurveError(_("A scoring curve is either thresholds or a linear band."))


# ---------------------------------------------------------------- the tree
@dataclass(frozen=True)
class Node:
    code: str
    kind: str  # DIMENSION, COMPUTED or SCORED
    weight: Decimal  # percent of the parent (or of the total)
    children: tuple[Node, ...] = ()
    curve: Thresholds | Linear | None = None
    name: str = ""

    def walk(self) -> Iterable[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Band:
    code: str
    minimum: Decimal


def weight_errors(nodes: Sequence[Node], parent: str | None = None) -> list[tuple]:
    """[(parent code or None for the top level, the sum found)] for every level whose
    weights do not sum to 100; a dimension without children is a level summing to 0."""
    errors = []
    total = sum((n.weight for n in nodes), ZERO)
    if total != HUNDRED:
        errors.append((parent, total))
    for node in nodes:
        if node.kind == DIMENSION:
            errors.extend(weight_errors(node.children, node.code))
    return errors


def level_for(total: Decimal, bands: Sequence[Band]) -> str:
    reached = ""
    for band in sorted(bands, key=lambda b: b.minimum):
        if total >= band.minimum:
            reached = band.code
    return reached


@dataclass(frozen=True)
class Item:
    code: str
    kind: str
    source: str  # "metric", "reviewers", "not_scored", "dimension"
    raw: Decimal | None
    points: Decimal  # 0–100, exact
    contribution: Decimal  # to the total, exact
    reviewer_count: int = 0


@dataclass(frozen=True)
class Result:
    total: Decimal  # 0–100, rounded to 0.01
    level: str
    items: dict[str, Item] = field(default_factory=dict)


def score(nodes: Sequence[Node], raw: Mapping[str, object],
          reviews: Mapping[str, Sequence] | None = None,
          bands: Sequence[Band] = ()) -> Result:
    """Points of every node, the total and the level (see the module's docstring)."""
    reviews = reviews or {}
    items: dict[str, Item] = {}

    def visit(node: Node, share: Decimal) -> Decimal:
        # share: the fraction of the total one point of this node is worth
        if node.kind == DIMENSION:
            points = sum((visit(child, share * child.weight / HUNDRED) * child.weight / HUNDRED
                          for child in node.children), ZERO)
            items[node.code] = Item(node.code, node.kind, "dimension", None, points,
                                    points * share)
            return points
        if node.kind == COMPUTED:
            value = _d(raw.get(node.code, 0) or 0)
            points = node.curve.points(value)
            items[node.code] = Item(node.code, node.kind, "metric", value, points,
                                    points * share)
            return points
        given = [_d(s) for s in reviews.get(node.code, ()) if s is not None]
        if not given:
            items[node.code] = Item(node.code, node.kind, "not_scored", None, ZERO, ZERO)
            return ZERO
        mean = min(HUNDRED, max(ZERO, sum(given, ZERO) / len(given)))
        items[node.code] = Item(node.code, node.kind, "reviewers", mean, mean, mean * share,
                                len(given))
        return mean

    total = sum((visit(n, n.weight / HUNDRED) * n.weight / HUNDRED for n in nodes), ZERO)
    total = min(HUNDRED, max(ZERO, total)).quantize(CENT, ROUND_HALF_UP)
    return Result(total, level_for(total, bands), items)


def explain(node: Node, item: Item, *, unit_label: str = "") -> str:
    """How the leaf (or dimension) got its points, in words."""
    if node.kind == DIMENSION:
        return _("Weighted sum of its indicators: %(points)s points.") % {
            "points": shown(_d(item.points).quantize(CENT, ROUND_HALF_UP))}
    if node.kind == COMPUTED:
        value = item.raw if item.raw is not None else ZERO
        text = node.curve.explain(_d(value))
        return f"{text} ({unit_label})" if unit_label else text
    if item.source == "not_scored":
        return _("No reviewer has scored it yet: 0 points.")
    return _("Mean of %(count)s reviewer scores: %(points)s points.") % {
        "count": item.reviewer_count,
        "points": shown(_d(item.points).quantize(CENT, ROUND_HALF_UP))}
