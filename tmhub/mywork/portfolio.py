"""An institution's patent portfolio: what falls due when, and what the annual fees cost."""

from __future__ import annotations

import datetime
from collections import defaultdict

from tmhub.core.access import CHANGE
from tmhub.core.roles import Role
from tmhub.mywork import patents
from tmhub.mywork.models import FeePayment, FeeSchedule
from tmhub.transfer.choices import PATENT_TYPES
from tmhub.transfer.models import IPRecord

WINDOWS = (30, 90, 180)


def may_see(scope, organization) -> bool:
    """An institution's deadlines: its administrators and the city (nobody else's)."""
    return scope.is_municipal or organization.pk in scope.orgs(Role.INSTITUTION_ADMIN)


def records(scope, organization=None):
    """The patents whose deadlines ``scope`` keeps: the IP records of achievements it may
    change (IPRecord's policy with CHANGE), optionally of one owner institution."""
    from tmhub.core.work_items import restrict

    rows = IPRecord.objects.filter(ip_type__in=PATENT_TYPES).select_related(
        "achievement__owner")
    if organization is not None:
        rows = rows.filter(achievement__owner=organization)
    return restrict(rows, scope, CHANGE)


def paid_years(rows) -> dict[int, set[int]]:
    paid = defaultdict(set)
    for ip_id, year in FeePayment.objects.filter(ip_record__in=rows,
                                                 reversed_at__isnull=True).values_list(
            "ip_record_id", "year"):
        paid[ip_id].add(year)
    return paid


def fee_amount(ip_type: str, year: int, schedule=None) -> int | None:
    """The schedule's fee (fen) for ``year`` of a patent of ``ip_type``, None if not entered."""
    bands = schedule if schedule is not None else list(FeeSchedule.objects.all())
    for band in bands:
        if band.ip_type == ip_type and band.from_year <= year <= band.to_year:
            return band.amount_fen
    return None


def upcoming(rows, today: datetime.date, within_days: int = 180):
    """(record, deadline, fee in fen or None) due within ``within_days`` (late fees included),
    soonest first."""
    limit = today + datetime.timedelta(days=within_days)
    schedule = list(FeeSchedule.objects.all())
    paid = paid_years(rows)
    found = []
    for record in rows:
        for deadline in patents.deadlines(record, today, frozenset(paid.get(record.pk, ()))):
            if deadline.due_on <= limit or deadline.kind == "late_fee":
                amount = (fee_amount(record.ip_type, deadline.year, schedule)
                          if deadline.year else None)
                found.append((record, deadline, amount))
    return sorted(found, key=lambda row: (row[1].due_on, row[0].pk))


def window_counts(rows_due, today):
    return {days: sum(1 for _r, d, _a in rows_due
                      if d.due_on <= today + datetime.timedelta(days=days))
            for days in WINDOWS}


def forecast(rows, today: datetime.date, years: int = 5):
    """Annual fees due per calendar year from this year on (fen), counting the schedule's
    amounts; fees without an entered amount are counted apart."""
    schedule = list(FeeSchedule.objects.all())
    paid = paid_years(rows)
    totals = {today.year + n: {"year": today.year + n, "fen": 0, "fees": 0, "unpriced": 0}
              for n in range(years)}
    for record in rows:
        if record.status not in patents.IN_FORCE:
            continue
        for fee in patents.annual_fees(record.ip_type, record.filed_on, record.granted_on):
            row = totals.get(fee.due_on.year)
            if row is None or fee.year in paid.get(record.pk, ()) or fee.late_until < today:
                continue
            amount = fee_amount(record.ip_type, fee.year, schedule)
            row["fees"] += 1
            if amount is None:
                row["unpriced"] += 1
            else:
                row["fen"] += amount
    return list(totals.values())
