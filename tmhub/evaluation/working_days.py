"""Working days on China's official holiday calendar (国务院办公厅 holiday notices), read from the
maintained `chinese-calendar` library: public holidays are not working days, make-up working
days (调休, a Saturday or Sunday worked) are.

The library knows the years the State Council has published. For a day of a year it does not
know yet (the next year's notice is published in November or December) the platform does not
refuse the round: it counts Monday to Friday as working days and says so — every period
computed that way is returned with `estimated=True`, stored on the record and shown on its
page ("estimated: the official holiday calendar of 2027 is not yet known"), to be checked
against the State Council's notice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar


def is_working_day(day: datetime.date) -> tuple[bool, bool]:
    """(working?, estimated?) — estimated when the official calendar of the year is unknown and
    only weekends were taken into account."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


@dataclass(frozen=True)
class Period:
    """A period of working days: its first and last day, and whether a day of it was counted
    without the official calendar."""

    start: datetime.date
    end: datetime.date
    estimated: bool = False
    unknown_years: tuple[int, ...] = ()


def next_working_day(day: datetime.date, *, include: bool = True) -> tuple[datetime.date, bool]:
    """The first working day on or after `day` (after it when `include` is False)."""
    estimated = False
    current = day if include else day + datetime.timedelta(days=1)
    while True:
        working, guessed = is_working_day(current)
        estimated |= guessed
        if working:
            return current, estimated
        current += datetime.timedelta(days=1)


def period_of(start: datetime.date, working_days: int) -> Period:
    """The period of `working_days` working days beginning on the first working day on or after
    `start` (that day counts as the first)."""
    if working_days < 1:
        raise ValueError("a period has at least one working day")
    first, estimated = next_working_day(start)
    unknown = {first.year} if estimated else set()
    end, counted = first, 1
    while counted < working_days:
        end, guessed = next_working_day(end, include=False)
        if guessed:
            estimated = True
            unknown.add(end.year)
        counted += 1
    # Days skipped between the working days of an unknown year also count as guessed.
    for year in range(first.year, end.year + 1):
        try:
            chinese_calendar.is_workday(datetime.date(year, 6, 1))
        except NotImplementedError:
            estimated = True
            unknown.add(year)
    return Period(start=first, end=end, estimated=estimated, unknown_years=tuple(sorted(unknown)))


def working_days_between(first: datetime.date, last: datetime.date) -> tuple[int, bool]:
    """How many working days lie from `first` to `last`, both included (0 when last < first)."""
    count, estimated, current = 0, False, first
    while current <= last:
        working, guessed = is_working_day(current)
        estimated |= guessed
        count += working
        current += datetime.timedelta(days=1)
    return count, estimated
