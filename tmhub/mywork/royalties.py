"""Running royalties of a licence: the reporting periods its terms set, when each report falls
due, and which are still owed.

Periods run back to back from the terms' first day, each ``period_months`` long: the n-th
ends the day before the corresponding day n × ``period_months`` months after the first day
(that month's last day when it has none, as the Civil Code reckons months), so periods never
drift; they run until the royalties end (the terms' own end, else the contract's term end),
the last one cut at that day. A period's report is due ``report_within_days`` after its end.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tmhub.mywork.patents import add_months

# Periods are listed up to this far ahead of today (the next one or two to expect).
LOOKAHEAD_DAYS = 400
# A guard against terms that would list centuries of periods.
MAX_PERIODS = 200


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    report_due: datetime.date


def royalties_end(terms) -> datetime.date | None:
    return terms.ends_on or terms.contract.term_end


def periods(terms, until: datetime.date) -> list[Period]:
    """The reporting periods that have started by ``until`` (and before the royalties end)."""
    last_day = royalties_end(terms)
    found = []
    start = terms.first_period_start
    index = 0
    while start <= until and (last_day is None or start <= last_day) and index < MAX_PERIODS:
        index += 1
        end = add_months(terms.first_period_start, terms.period_months * index) \
            - datetime.timedelta(days=1)
        if last_day is not None and end > last_day:
            end = last_day
        found.append(Period(start, end,
                            end + datetime.timedelta(days=terms.report_within_days)))
        start = end + datetime.timedelta(days=1)
    return found


def royalty_fen(net_sales_fen: int, rate_percent) -> int:
    """The royalty on ``net_sales_fen`` at ``rate_percent``, rounded half up to the fen."""
    exact = Decimal(net_sales_fen) * Decimal(rate_percent) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PeriodState:
    period: Period
    report: object | None  # the standing report, if received

    def owed(self, today: datetime.date) -> bool:
        """The period has ended and no report stands for it."""
        return self.report is None and self.period.end < today

    def overdue(self, today: datetime.date) -> bool:
        return self.report is None and self.period.report_due < today


def schedule(terms, today: datetime.date, reports=None) -> list[PeriodState]:
    """Every period up to a little past today, with its standing report (if any)."""
    if reports is None:
        reports = terms.contract.royalty_reports.filter(reversed_at__isnull=True)
    by_start = {report.period_start: report for report in reports}
    return [PeriodState(period, by_start.get(period.start))
            for period in periods(terms, today + datetime.timedelta(days=LOOKAHEAD_DAYS))]


def period_for(terms, start: datetime.date) -> Period | None:
    for period in periods(terms, start):
        if period.start == start:
            return period
    return None
