"""Properties of weighted scoring (tmhub.evaluation.scoring), for any tree and any values:
the total lies within 0–100, it never falls when a computed indicator's value rises, weights
that do not sum to 100 at a level are reported for that level, and the level follows the
band boundaries exactly."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmhub.evaluation import scoring
from tmhub.evaluation.scoring import COMPUTED, DIMENSION, SCORED, Band, Linear, Node, Thresholds

D = Decimal
BANDS = (Band("junior", D(60)), Band("intermediate", D(75)), Band("senior", D(90)))

values = st.decimals(min_value=-1000, max_value=10**7, places=2, allow_nan=False,
                     allow_infinity=False)


@st.composite
def weights(draw, n):
    """n weights (2 decimals) summing to exactly 100."""
    cuts = sorted(draw(st.lists(st.integers(0, 10000), min_size=n - 1, max_size=n - 1)))
    edges = [0, *cuts, 10000]
    return [D(b - a) / 100 for a, b in zip(edges, edges[1:], strict=False)]


@st.composite
def curves(draw):
    if draw(st.booleans()):
        zero = draw(st.decimals(min_value=-100, max_value=1000, places=2))
        width = draw(st.decimals(min_value=D("0.01"), max_value=10**6, places=2))
        return Linear(zero, zero + width)
    mins = sorted(set(draw(st.lists(st.decimals(min_value=-100, max_value=10**6, places=2),
                                    min_size=1, max_size=5))))
    points = sorted(draw(st.lists(st.decimals(min_value=0, max_value=100, places=2),
                                  min_size=len(mins), max_size=len(mins))))
    return Thresholds(tuple(zip(mins, points, strict=True)))


@st.composite
def trees(draw, depth=0, prefix="n"):
    n = draw(st.integers(1, 4))
    shares = draw(weights(n))
    nodes = []
    for i, weight in enumerate(shares):
        code = f"{prefix}{i}"
        kind = draw(st.sampled_from([DIMENSION, COMPUTED, SCORED] if depth < 2
                                    else [COMPUTED, SCORED]))
        if kind == DIMENSION:
            nodes.append(Node(code, kind, weight, children=draw(trees(depth + 1, code + "_"))))
        elif kind == COMPUTED:
            nodes.append(Node(code, kind, weight, curve=draw(curves())))
        else:
            nodes.append(Node(code, kind, weight))
    return tuple(nodes)


def _leaves(tree, kind):
    return [n for top in tree for n in top.walk() if n.kind == kind]


@st.composite
def inputs(draw):
    tree = draw(trees())
    raw = {n.code: draw(values) for n in _leaves(tree, COMPUTED)}
    reviews = {n.code: draw(st.lists(st.decimals(min_value=0, max_value=100, places=2),
                                     max_size=3)) for n in _leaves(tree, SCORED)}
    return tree, raw, reviews


@settings(max_examples=300, deadline=None)
@given(inputs())
def test_the_total_lies_within_0_and_100_and_every_level_sums_to_100(data):
    tree, raw, reviews = data
    assert scoring.weight_errors(tree) == []
    result = scoring.score(tree, raw, reviews, BANDS)
    assert D(0) <= result.total <= D(100)
    for item in result.items.values():
        assert D(0) <= item.points <= D(100)
    # the total is the sum of the top level's contributions (before rounding)
    exact = sum(result.items[n.code].contribution for n in tree)
    assert abs(exact - result.total) <= D("0.005")


@settings(max_examples=300, deadline=None)
@given(inputs(), st.data())
def test_the_total_never_falls_when_a_computed_value_rises(data, more):
    tree, raw, reviews = data
    computed = _leaves(tree, COMPUTED)
    if not computed:
        return
    leaf = more.draw(st.sampled_from(computed))
    bump = more.draw(st.decimals(min_value=0, max_value=10**6, places=2))
    before = scoring.score(tree, raw, reviews, BANDS)
    after = scoring.score(tree, {**raw, leaf.code: raw[leaf.code] + bump}, reviews, BANDS)
    assert after.total >= before.total
    assert after.items[leaf.code].points >= before.items[leaf.code].points


@settings(max_examples=200, deadline=None)
@given(trees(), st.data())
def test_weights_off_100_are_reported_for_the_level_they_are_at(tree, more):
    dimensions = [n for top in tree for n in top.walk() if n.kind == DIMENSION]
    if dimensions and more.draw(st.booleans()):
        target = more.draw(st.sampled_from(dimensions))
        child = target.children[0]
        broken_child = Node(child.code, child.kind, child.weight + D(1), child.children,
                            child.curve)

        def rebuild(node):
            if node.code == target.code:
                return Node(node.code, node.kind, node.weight,
                            (broken_child, *node.children[1:]), node.curve)
            return Node(node.code, node.kind, node.weight,
                        tuple(rebuild(c) for c in node.children), node.curve)

        broken = tuple(rebuild(n) for n in tree)
        assert (target.code, D(100) + D(1)) in scoring.weight_errors(broken)
    else:
        first = tree[0]
        broken = (Node(first.code, first.kind, first.weight - D("0.01"), first.children,
                       first.curve), *tree[1:])
        assert scoring.weight_errors(broken) == [(None, D("99.99"))]


@pytest.mark.parametrize(("total", "level"), [
    ("0", ""), ("59.99", ""), ("60", "junior"), ("74.99", "junior"), ("75", "intermediate"),
    ("89.99", "intermediate"), ("90", "senior"), ("100", "senior")])
def test_band_boundaries(total, level):
    assert scoring.level_for(D(total), BANDS) == level


def test_a_total_just_under_a_boundary_is_rounded_half_up_before_the_level():
    # one scored leaf: 74.995 rounds to 75.00, which is intermediate
    tree = (Node("a", SCORED, D(100)),)
    result = scoring.score(tree, {}, {"a": [D("74.99"), D("75")]}, BANDS)
    assert result.total == D("75.00") and result.level == "intermediate"


def test_curves_as_data_are_checked():
    assert scoring.curve_from_data({"kind": "linear", "zero": "0", "full": "10"}) == \
        Linear(D(0), D(10))
    for bad in ({"kind": "linear", "zero": "5", "full": "5"},
                {"kind": "thresholds", "steps": [["2", "50"], ["1", "60"]]},
                {"kind": "thresholds", "steps": [["1", "60"], ["2", "50"]]},
                {"kind": "thresholds", "steps": [["1", "120"]]},
                {"kind": "thresholds", "steps": []}, {"kind": "x"}, None):
        with pytest.raises(scoring.CurveError):
            scoring.curve_from_data(bad)


def test_the_explanation_says_how_the_points_came():
    from django.utils import translation

    node = Node("v", COMPUTED, D(100), curve=Thresholds(((D(1), D(60)), (D(3), D(100)))))
    result = scoring.score((node,), {"v": D(2)})
    with translation.override("en"):
        assert scoring.explain(node, result.items["v"]) == \
            "2 reaches the threshold 1: 60 points."
    with translation.override("zh-hans"):
        assert "60分" in scoring.explain(node, result.items["v"])
