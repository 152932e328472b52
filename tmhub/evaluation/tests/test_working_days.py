"""Working days on China's official calendar (chinese-calendar): the 2026 Spring Festival
holiday (15–23 February) is skipped and the make-up Saturdays (14 and 28 February) count;
a year the library does not know is counted Monday to Friday and flagged as estimated."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tmhub.evaluation.working_days import is_working_day, period_of, working_days_between

D = datetime.date


def test_given_a_notice_before_the_spring_festival_then_the_holiday_is_skipped():
    """Given 5 working days from Thursday 12 February 2026, then Thu 12, Fri 13, the make-up
    Saturday 14, and after the holiday (15–23 February) Tue 24 and Wed 25."""
    period = period_of(D(2026, 2, 12), 5)
    assert (period.start, period.end, period.estimated) == (D(2026, 2, 12), D(2026, 2, 25),
                                                            False)


def test_given_the_make_up_saturday_then_it_is_a_working_day_and_a_plain_saturday_is_not():
    assert is_working_day(D(2026, 2, 14)) == (True, False)  # 调休 Saturday
    assert is_working_day(D(2026, 2, 28)) == (True, False)  # 调休 Saturday
    assert is_working_day(D(2026, 2, 7)) == (False, False)  # ordinary Saturday
    assert is_working_day(D(2026, 2, 17)) == (False, False)  # 春节


def test_given_a_start_on_a_holiday_then_the_period_starts_on_the_next_working_day():
    period = period_of(D(2026, 2, 16), 1)
    assert period.start == period.end == D(2026, 2, 24)


def test_given_a_start_on_the_make_up_saturday_then_it_is_the_first_day():
    assert period_of(D(2026, 2, 28), 2) == period_of(D(2026, 2, 28), 2)
    period = period_of(D(2026, 2, 28), 2)
    assert (period.start, period.end) == (D(2026, 2, 28), D(2026, 3, 2))


def test_given_a_period_into_an_unknown_year_then_weekends_only_and_flagged():
    """Given 5 working days from Monday 28 December 2026, the days of 2027 (not yet published
    by the State Council) are counted Monday to Friday and the period says so."""
    period = period_of(D(2026, 12, 28), 5)
    assert period.estimated is True
    assert period.unknown_years == (2027,)
    assert period.start == D(2026, 12, 28)
    # 28–31 December 2026 are working days (Mon–Thu); 1 January 2027 (a Friday) counted.
    assert period.end == D(2027, 1, 1)


def test_given_a_period_inside_a_known_year_then_not_estimated():
    assert period_of(D(2026, 12, 2), 5).estimated is False


@settings(deadline=None, max_examples=60)
@given(st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 11, 1)),
       st.integers(min_value=1, max_value=20))
def test_property_a_period_holds_exactly_its_working_days(start, n):
    period = period_of(start, n)
    count, estimated = working_days_between(period.start, period.end)
    assert count == n and not estimated
    assert is_working_day(period.start)[0] and is_working_day(period.end)[0]
    assert period.start >= start
