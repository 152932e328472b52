"""Properties of the panel's arithmetic (issue 16 item 8): weighted scoring of one reviewer,
the mean of the panel, and the vote tally against quorum and threshold."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tmhub.evaluation.tally import Scored, average, tally, weighted_score


@st.composite
def sheets(draw):
    """A scoring sheet: criteria with maxima and weights, a score within each maximum."""
    size = draw(st.integers(1, 6))
    items = []
    for _ in range(size):
        maximum = draw(st.integers(1, 100))
        items.append(Scored(draw(st.integers(0, maximum)), maximum, draw(st.integers(1, 50))))
    return items


@given(sheets())
def test_a_weighted_score_lies_between_0_and_100(sheet):
    assert Decimal("0") <= weighted_score(sheet) <= Decimal("100")


@given(sheets(), st.data())
def test_raising_one_score_never_lowers_the_total(sheet, data):
    index = data.draw(st.integers(0, len(sheet) - 1))
    item = sheet[index]
    higher = data.draw(st.integers(item.score, item.max_score))
    raised = [*sheet[:index], Scored(higher, item.max_score, item.weight), *sheet[index + 1:]]
    assert weighted_score(raised) >= weighted_score(sheet)


@given(sheets(), st.randoms())
def test_the_order_of_the_criteria_does_not_matter(sheet, random):
    shuffled = list(sheet)
    random.shuffle(shuffled)
    assert weighted_score(shuffled) == weighted_score(sheet)


@given(sheets())
def test_the_total_is_the_exact_weighted_mean_rounded_half_up(sheet):
    exact = sum(Fraction(i.score, i.max_score) * i.weight for i in sheet) * 100 / sum(
        i.weight for i in sheet)
    assert abs(Fraction(weighted_score(sheet)) - exact) <= Fraction(1, 200)


def test_full_and_empty_marks_and_a_worked_example():
    assert weighted_score([Scored(10, 10, 3), Scored(100, 100, 7)]) == Decimal("100.00")
    assert weighted_score([Scored(0, 10, 3), Scored(0, 100, 7)]) == Decimal("0.00")
    # 80×30 + 90×40 + 70×30 over 100
    assert weighted_score([Scored(80, 100, 30), Scored(90, 100, 40),
                           Scored(70, 100, 30)]) == Decimal("81.00")
    assert average([Decimal("85.00"), Decimal("80.01")]) == Decimal("82.51")  # half up
    assert average([]) is None
    with pytest.raises(ValueError):
        weighted_score([Scored(11, 10, 1)])


@given(st.lists(st.decimals(0, 100, places=2), min_size=1, max_size=15))
def test_the_panel_average_lies_between_the_lowest_and_highest(totals):
    mean = average(totals)
    assert min(totals) <= mean <= max(totals)


members = st.integers(1, 25)
fractions = st.tuples(st.integers(1, 5), st.integers(1, 5)).filter(lambda f: f[0] <= f[1])


@given(members, st.data(), fractions, fractions)
def test_more_votes_for_never_fail_a_vote_that_passed(size, data, quorum, threshold):
    present = data.draw(st.integers(0, size))
    votes = data.draw(st.integers(0, present))
    first = tally(panel_size=size, present=present, votes_for=votes, quorum=quorum,
                  threshold=threshold)
    if first.passed and votes < present:
        assert tally(panel_size=size, present=present, votes_for=votes + 1, quorum=quorum,
                     threshold=threshold).passed


@given(members, st.data(), fractions, fractions)
def test_a_vote_passes_exactly_at_the_threshold_with_a_quorum(size, data, quorum, threshold):
    present = data.draw(st.integers(0, size))
    votes = data.draw(st.integers(0, present))
    result = tally(panel_size=size, present=present, votes_for=votes, quorum=quorum,
                   threshold=threshold)
    quorum_met = Fraction(present, size) >= Fraction(*quorum)
    reaches = present > 0 and Fraction(votes, present) >= Fraction(*threshold) and votes >= 1
    assert result.quorum_met == quorum_met
    assert result.passed == (quorum_met and reaches)


def test_two_thirds_of_nine_worked_example():
    assert tally(panel_size=9, present=7, votes_for=5, quorum=(2, 3),
                 threshold=(2, 3)).passed  # 5/7 ≥ 2/3
    assert not tally(panel_size=9, present=7, votes_for=4, quorum=(2, 3),
                     threshold=(2, 3)).passed
    assert not tally(panel_size=9, present=5, votes_for=5, quorum=(2, 3),
                     threshold=(2, 3)).quorum_met  # 6 needed
