"""Patent deadlines of an IP record: term end, annual fees after grant, the late-payment
period and its surcharge — the rules as data, each with its legal basis.

Dates follow the Civil Code's reckoning of periods in years and months (民法典第二百零三条):
the period ends on the corresponding day of the last month, or on that month's last day when
it has none — a patent filed on 29 February 2020 has its anniversary on 28 February 2021.
A patent's term runs from its filing date and ends the day before the anniversary that
completes it (20 years from 2001-09-05 end on 2021-09-04).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tmhub.transfer.choices import IPStatus, IPType

DESIGN_CHANGE = datetime.date(2021, 6, 1)  # the 2020 amendment of the Patent Law in force


@dataclass(frozen=True)
class TermRule:
    ip_type: str
    years: int
    filed_from: datetime.date | None  # applications filed on or after this date
    filed_before: datetime.date | None  # applications filed before this date
    basis: object


TERM_RULES = (
    TermRule(IPType.INVENTION, 20, None, None,
             _("Patent Law of the PRC, article 42: invention patents, 20 years from filing")),
    TermRule(IPType.UTILITY_MODEL, 10, None, None,
             _("Patent Law of the PRC, article 42: utility models, 10 years from filing")),
    TermRule(IPType.DESIGN, 10, None, DESIGN_CHANGE,
             _("Patent Law of the PRC (2008 amendment), article 42: designs filed before "
               "1 June 2021, 10 years from filing")),
    TermRule(IPType.DESIGN, 15, DESIGN_CHANGE, None,
             _("Patent Law of the PRC (2020 amendment, in force from 1 June 2021), article 42: "
               "designs filed from 1 June 2021, 15 years from filing")),
)

FEE_BASIS = _("Patent Law of the PRC, article 43 (annual fees from the year of grant), and the "
              "Implementing Regulations' rule on late payment: within six months of the due "
              "date with a surcharge")
# Surcharge by month of delay (share of that year's full annual fee, per cent): a payment
# within the first month after the due date carries none, then 5 % more each month.
SURCHARGE_PERCENT_BY_MONTH = (0, 5, 10, 15, 20, 25)
LATE_MONTHS = len(SURCHARGE_PERCENT_BY_MONTH)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day ``months`` later, or that month's last day when it has none."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def anniversary(filed_on: datetime.date, years: int) -> datetime.date:
    return add_months(filed_on, 12 * years)


def term_rule(ip_type: str, filed_on: datetime.date | None) -> TermRule | None:
    if filed_on is None:
        return None
    for rule in TERM_RULES:
        if rule.ip_type != ip_type:
            continue
        if rule.filed_from and filed_on < rule.filed_from:
            continue
        if rule.filed_before and filed_on >= rule.filed_before:
            continue
        return rule
    return None


def term_end(ip_type: str, filed_on: datetime.date | None) -> datetime.date | None:
    """The patent's last day in force, or None (not a patent, or no filing date)."""
    rule = term_rule(ip_type, filed_on)
    if rule is None:
        return None
    return anniversary(filed_on, rule.years) - datetime.timedelta(days=1)


def patent_year(filed_on: datetime.date, day: datetime.date) -> int:
    """Which year of the patent ``day`` falls in (the first year starts on the filing date)."""
    year = 1
    while anniversary(filed_on, year) <= day:
        year += 1
    return year


@dataclass(frozen=True)
class AnnualFee:
    year: int  # the patent year it pays for
    due_on: datetime.date  # the anniversary that opens that year
    late_until: datetime.date  # the last day of the six-month late-payment period

    def surcharge_percent(self, paid_on: datetime.date) -> int | None:
        """The surcharge (per cent of the year's fee) for paying on ``paid_on``; None when the
        late period is over (the right lapses unless restored)."""
        if paid_on <= self.due_on:
            return 0
        for month, percent in enumerate(SURCHARGE_PERCENT_BY_MONTH, start=1):
            if paid_on <= add_months(self.due_on, month):
                return percent
        return None


def annual_fees(ip_type: str, filed_on, granted_on) -> list[AnnualFee]:
    """Every annual fee due after the year of grant (that year's fee is paid when the grant is
    registered), up to the end of the term."""
    rule = term_rule(ip_type, filed_on)
    if rule is None or granted_on is None:
        return []
    first = patent_year(filed_on, granted_on) + 1
    fees = []
    for year in range(first, rule.years + 1):
        due = anniversary(filed_on, year - 1)
        fees.append(AnnualFee(year, due, add_months(due, LATE_MONTHS)))
    return fees


@dataclass(frozen=True)
class Deadline:
    kind: str  # "fee", "late_fee" or "term_end"
    due_on: datetime.date
    year: int | None = None
    surcharge_percent: int = 0
    late_until: datetime.date | None = None


IN_FORCE = (IPStatus.GRANTED,)


def deadlines(record, today: datetime.date, paid_years=frozenset()) -> list[Deadline]:
    """What falls due for ``record`` from ``today`` on: every unpaid annual fee still in its
    late-payment period (due date passed), the next unpaid fee, and the term end. A fee is
    cleared by a payment recorded for its patent year (``paid_years``)."""
    if record.status not in IN_FORCE or record.filed_on is None:
        return []
    found = []
    for fee in annual_fees(record.ip_type, record.filed_on, record.granted_on):
        if fee.year in paid_years or fee.late_until < today:
            continue
        if fee.due_on < today:
            found.append(Deadline("late_fee", fee.due_on, fee.year,
                                  fee.surcharge_percent(today) or 0, fee.late_until))
            continue
        found.append(Deadline("fee", fee.due_on, fee.year, 0, fee.late_until))
        break
    end = term_end(record.ip_type, record.filed_on)
    if end is not None and end >= today:
        found.append(Deadline("term_end", end))
    return found


def missed_fee(record, today: datetime.date, paid_years=frozenset()) -> AnnualFee | None:
    """The first annual fee of a patent in force whose late-payment period ended unpaid: by
    law the patent lapsed at the end of the year that fee was for, unless it is restored. The
    platform does not decide that: it asks who keeps the patent to record the lapse (or the
    payment it is missing)."""
    if record.status not in IN_FORCE or record.filed_on is None:
        return None
    for fee in annual_fees(record.ip_type, record.filed_on, record.granted_on):
        if fee.year not in paid_years and fee.late_until < today:
            return fee
    return None


# The fifth digit of a 12-digit CNIPA application number names the patent type.
TYPE_DIGIT = {IPType.INVENTION: "1", IPType.UTILITY_MODEL: "2", IPType.DESIGN: "3"}
