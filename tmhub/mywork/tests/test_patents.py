"""Fee and term dates of invention, utility model and design patents: the 2021 change of the
design term, leap days, the late-payment period and its surcharge."""

import datetime as dt

import pytest

from tmhub.mywork import patents
from tmhub.transfer.choices import IPStatus, IPType

D = dt.date


@pytest.mark.parametrize(("ip_type", "filed", "end"), [
    (IPType.INVENTION, D(2001, 9, 5), D(2021, 9, 4)),
    (IPType.UTILITY_MODEL, D(2019, 3, 1), D(2029, 2, 28)),
    (IPType.DESIGN, D(2021, 5, 31), D(2031, 5, 30)),    # before the change: 10 years
    (IPType.DESIGN, D(2021, 6, 1), D(2036, 5, 31)),     # from the change: 15 years
    (IPType.INVENTION, D(2020, 2, 29), D(2040, 2, 28)),  # 2040-02-29 exists: the day before
    (IPType.UTILITY_MODEL, D(2020, 2, 29), D(2030, 2, 27)),  # no 2030-02-29: 02-28 less a day
    (IPType.DESIGN, D(2024, 2, 29), D(2039, 2, 27)),
])
def test_term_end(ip_type, filed, end):
    assert patents.term_end(ip_type, filed) == end


def test_the_design_rule_names_its_legal_basis():
    before = patents.term_rule(IPType.DESIGN, D(2021, 5, 31))
    after = patents.term_rule(IPType.DESIGN, D(2021, 6, 1))
    assert (before.years, after.years) == (10, 15)
    assert "2008" in str(before.basis) and "2020" in str(after.basis)
    assert patents.term_end(IPType.SOFTWARE, D(2020, 1, 1)) is None


def test_annual_fees_fall_on_each_anniversary_after_the_year_of_grant():
    fees = patents.annual_fees(IPType.INVENTION, D(2018, 4, 10), D(2021, 7, 1))
    # granted in patent year 4 (2021-04-10 – 2022-04-09): its fee is paid on registration
    assert fees[0].year == 5 and fees[0].due_on == D(2022, 4, 10)
    assert fees[-1].year == 20 and fees[-1].due_on == D(2037, 4, 10)
    assert fees[0].late_until == D(2022, 10, 10)


def test_a_leap_day_filing_falls_due_on_the_last_day_of_february():
    fees = patents.annual_fees(IPType.UTILITY_MODEL, D(2020, 2, 29), D(2020, 12, 1))
    assert [f.due_on for f in fees[:4]] == [D(2021, 2, 28), D(2022, 2, 28), D(2023, 2, 28),
                                            D(2024, 2, 29)]
    assert fees[0].late_until == D(2021, 8, 28)


def test_surcharge_by_month_of_delay():
    fee = patents.annual_fees(IPType.INVENTION, D(2018, 8, 31), D(2019, 1, 2))[0]
    assert fee.due_on == D(2019, 8, 31)
    assert fee.surcharge_percent(D(2019, 8, 31)) == 0
    assert fee.surcharge_percent(D(2019, 9, 30)) == 0   # within the first month
    assert fee.surcharge_percent(D(2019, 10, 1)) == 5
    assert fee.surcharge_percent(D(2020, 2, 29)) == 25  # the last day of the sixth month
    assert fee.late_until == D(2020, 2, 29)
    assert fee.surcharge_percent(D(2020, 3, 1)) is None


class Record:
    def __init__(self, ip_type, filed_on, granted_on, status=IPStatus.GRANTED):
        self.ip_type, self.filed_on, self.granted_on, self.status = (
            ip_type, filed_on, granted_on, status)


def test_deadlines_today_a_fee_in_its_late_period_and_the_next():
    record = Record(IPType.INVENTION, D(2015, 10, 20), D(2018, 1, 5))
    today = D(2026, 12, 2)
    found = patents.deadlines(record, today)
    assert [(d.kind, d.year, d.due_on) for d in found] == [
        ("late_fee", 12, D(2026, 10, 20)), ("fee", 13, D(2027, 10, 20)),
        ("term_end", None, D(2035, 10, 19))]
    assert found[0].surcharge_percent == 5 and found[0].late_until == D(2027, 4, 20)
    paid = patents.deadlines(record, today, paid_years=frozenset({12}))
    assert [d.kind for d in paid] == ["fee", "term_end"]


def test_a_lapsed_or_pending_patent_has_no_fees():
    assert patents.deadlines(Record(IPType.INVENTION, D(2015, 1, 1), D(2017, 1, 1),
                                    IPStatus.LAPSED), D(2026, 12, 2)) == []
    assert patents.deadlines(Record(IPType.INVENTION, D(2024, 1, 1), None, IPStatus.FILED),
                             D(2026, 12, 2)) == []
