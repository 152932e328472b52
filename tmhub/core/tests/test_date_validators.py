"""The range of dates the platform accepts: what happened is not in the future, nothing
predates 1980, plans reach at most 50 years ahead, a new deadline is not already past."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tmhub.core.validators import (
    EARLIEST_RECORD_DATE,
    validate_dates,
    validate_happened_date,
    validate_new_deadline,
    validate_past_year,
    validate_planned_date,
)

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    """Asked when a test runs, never at import: a suite that crosses midnight in Beijing
    (16:00 UTC) must judge each date against the day it is checked on."""
    return timezone.localdate()


def _code(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.error_list[0].code


@pytest.mark.parametrize("value", [lambda: EARLIEST_RECORD_DATE, today, lambda: today() + DAY,
                                   lambda: datetime.date(2025, 4, 1)])
def test_what_happened_is_accepted_up_to_tomorrow(value):
    validate_happened_date(value())


@pytest.mark.parametrize("value,code", [
    (lambda: datetime.date(9999, 12, 31), "date_in_future"),
    (lambda: today() + 2 * DAY, "date_in_future"),
    (lambda: datetime.date(1900, 1, 1), "date_too_early"),
    (lambda: datetime.date(1, 1, 1), "date_too_early"),
    (lambda: EARLIEST_RECORD_DATE - DAY, "date_too_early"),
])
def test_what_happened_outside_the_range_is_refused(value, code):
    assert _code(validate_happened_date, value()) == code


def test_planned_dates_reach_fifty_years_ahead():
    TODAY = today()
    validate_planned_date(TODAY.replace(year=TODAY.year + 49))
    assert _code(validate_planned_date, TODAY.replace(year=TODAY.year + 51)) == "date_too_late"
    assert _code(validate_planned_date, datetime.date(9999, 12, 31)) == "date_too_late"
    assert _code(validate_planned_date, datetime.date(1900, 1, 1)) == "date_too_early"


def test_datetimes_are_judged_by_their_local_date():
    validate_happened_date(timezone.now())
    moment = timezone.make_aware(datetime.datetime(1900, 1, 1, 12))
    assert _code(validate_happened_date, moment) == "date_too_early"


def test_a_new_deadline_is_not_already_past():
    TODAY = today()
    validate_new_deadline(TODAY)
    assert _code(validate_new_deadline, TODAY - DAY) == "date_in_past"  # yesterday is past
    assert _code(validate_new_deadline, datetime.date(1900, 1, 1)) == "date_too_early"


def test_a_filing_year_is_over_or_running():
    TODAY = today()
    validate_past_year(TODAY.year)
    validate_past_year(2024)
    for year in (TODAY.year + 1, 9999, 1900, 10**30):
        assert _code(validate_past_year, year) == "year_out_of_range"


def test_messages_name_the_bounds_in_both_languages():
    from django.utils import translation

    with pytest.raises(ValidationError) as caught:
        validate_happened_date(datetime.date(9999, 1, 1))
    with translation.override("en"):
        assert str(caught.value.messages[0]).startswith("This has already happened")
    with translation.override("zh-hans"):
        assert "此事项已经发生" in caught.value.messages[0]
        assert (today() + DAY).isoformat() in caught.value.messages[0]


def test_validate_dates_names_every_bad_field_and_skips_absent_ones():
    with pytest.raises(ValidationError) as caught:
        validate_dates({"a": datetime.date(9999, 1, 1), "b": datetime.date(1900, 1, 1),
                        "c": None}, a=validate_planned_date, b=validate_happened_date,
                       c=validate_happened_date, d=validate_happened_date)
    assert set(caught.value.message_dict) == {"a", "b"}
