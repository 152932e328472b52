"""Property-based tests of the split arithmetic: exact sums, minimums, refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from tmhub.transfer import rewards_engine as engine

amounts = st.integers(min_value=1, max_value=engine.MAX_AMOUNT_FEN)
minimums = st.sampled_from([500, 5000, 7000])


@st.composite
def legal_split(draw):
    """A valid (amount, shares, people, minimum) tuple."""
    minimum = draw(minimums)
    team = draw(st.integers(min_value=minimum, max_value=engine.WHOLE))
    office = draw(st.integers(min_value=0, max_value=engine.WHOLE - team))
    institution = engine.WHOLE - team - office
    weights = draw(st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8))
    contributions = engine.apportion(engine.WHOLE, weights)
    people = [engine.Person(f"发明人{n}", Decimal(bp) / 100) for n, bp in enumerate(contributions)]
    shares = engine.Shares(Decimal(team) / 100, Decimal(office) / 100, Decimal(institution) / 100)
    return draw(amounts), shares, people, Decimal(minimum) / 100


def _codes(exc: ValidationError) -> set[str]:
    return {e.code for errors in exc.error_dict.values() for e in errors}


@settings(max_examples=300, deadline=None)
@given(legal_split())
def test_given_a_legal_split_then_parts_sum_exactly_and_none_is_negative(case):
    amount, shares, people, minimum = case
    engine.validate(amount, shares, people, min_team_share=minimum)
    result = engine.compute(amount, shares, people)
    assert result.total == amount
    assert sum(result.allocations) == result.team_fen
    assert min(result.team_fen, result.office_fen, result.institution_fen, *result.allocations) >= 0
    # The legal minimum holds to the fen: the team never gets less than its percentage.
    assert result.team_fen * engine.WHOLE >= amount * engine.to_basis_points(shares.team)
    assert result.team_fen * engine.WHOLE >= amount * engine.to_basis_points(minimum)


@settings(max_examples=200, deadline=None)
@given(legal_split())
def test_given_a_legal_split_then_each_part_is_within_one_fen_of_its_exact_share(case):
    amount, shares, people, _minimum = case
    result = engine.compute(amount, shares, people)
    for fen, share in (
        (result.office_fen, shares.office),
        (result.institution_fen, shares.institution),
    ):
        exact = Decimal(amount) * share / 100
        assert abs(Decimal(fen) - exact) < 2
    for fen, person in zip(result.allocations, people):
        exact = Decimal(result.team_fen) * person.contribution / 100
        assert abs(Decimal(fen) - exact) < 1


@settings(max_examples=200, deadline=None)
@given(amounts, minimums, st.data())
def test_when_the_team_share_is_below_the_minimum_then_it_is_refused_with_a_clear_message(
    amount, minimum, data
):
    team = data.draw(st.integers(min_value=0, max_value=minimum - 1))
    shares = engine.Shares(Decimal(team) / 100, Decimal(0), Decimal(engine.WHOLE - team) / 100)
    with pytest.raises(ValidationError) as caught:
        engine.validate(
            amount,
            shares,
            [engine.Person("甲", Decimal(100))],
            min_team_share=Decimal(minimum) / 100,
            legal_basis="《北京市条例》",
        )
    assert "below_minimum" in _codes(caught.value)
    message = " ".join(caught.value.message_dict["team_share"])
    assert f"{Decimal(minimum) / 100}" in message


@settings(max_examples=200, deadline=None)
@given(st.integers(max_value=0) | st.floats(allow_nan=True) | st.just(True) | st.text(max_size=5))
def test_when_the_amount_is_not_a_positive_integer_then_it_is_refused(amount):
    shares = engine.Shares(Decimal(70), Decimal(10), Decimal(20))
    with pytest.raises(ValidationError) as caught:
        engine.validate(amount, shares, [engine.Person("甲", Decimal(100))], min_team_share=70)
    assert _codes(caught.value) & {"amount_invalid", "amount_not_positive"}


@pytest.mark.parametrize(
    "bad", ["NaN", float("nan"), float("inf"), "-1", "100.01", "33.333", "abc", None, True]
)
def test_when_a_share_is_not_a_percentage_then_it_is_refused(bad):
    shares = engine.Shares(bad, Decimal(10), Decimal(20))
    with pytest.raises(ValidationError) as caught:
        engine.validate(100, shares, [engine.Person("甲", Decimal(100))], min_team_share=70)
    assert "share_invalid" in _codes(caught.value)


@settings(max_examples=200, deadline=None)
@given(
    amounts,
    st.integers(min_value=0, max_value=engine.WHOLE),
    st.integers(min_value=0, max_value=engine.WHOLE),
    st.integers(min_value=0, max_value=engine.WHOLE),
)
def test_when_shares_do_not_sum_to_100_then_it_is_refused(amount, team, office, institution):
    if team + office + institution == engine.WHOLE:
        return
    shares = engine.Shares(Decimal(team) / 100, Decimal(office) / 100, Decimal(institution) / 100)
    with pytest.raises(ValidationError) as caught:
        engine.validate(amount, shares, [engine.Person("甲", Decimal(100))], min_team_share=0)
    assert "shares_sum" in _codes(caught.value)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=engine.WHOLE), min_size=1, max_size=6))
def test_when_contributions_do_not_sum_to_100_then_it_is_refused(points):
    if sum(points) == engine.WHOLE:
        return
    people = [engine.Person(f"p{n}", Decimal(bp) / 100) for n, bp in enumerate(points)]
    shares = engine.Shares(Decimal(70), Decimal(10), Decimal(20))
    with pytest.raises(ValidationError) as caught:
        engine.validate(1000, shares, people, min_team_share=70)
    assert _codes(caught.value) & {"contributions_sum", "contribution_invalid"}


def test_when_no_one_is_named_or_a_name_repeats_then_it_is_refused():
    shares = engine.Shares(Decimal(70), Decimal(10), Decimal(20))
    with pytest.raises(ValidationError) as caught:
        engine.validate(1000, shares, [], min_team_share=70)
    assert "no_recipients" in _codes(caught.value)
    twice = [engine.Person("甲", Decimal(50)), engine.Person("甲", Decimal(50))]
    with pytest.raises(ValidationError) as caught:
        engine.validate(1000, shares, twice, min_team_share=70)
    assert "duplicate_name" in _codes(caught.value)


def test_one_fen_three_ways_still_sums_to_one_fen():
    people = [
        engine.Person(n, Decimal("33.34") if n == "甲" else Decimal("33.33")) for n in "甲乙丙"
    ]
    result = engine.compute(1, engine.Shares(Decimal(70), Decimal(10), Decimal(20)), people)
    assert result.total == 1 and result.team_fen == 1 and sum(result.allocations) == 1


def test_format_fen():
    assert engine.format_fen(123456789) == "1,234,567.89"
    assert engine.format_fen(5) == "0.05"
