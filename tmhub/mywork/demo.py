"""My work's demo (run by `manage.py seed_demo` after transfer): the annual fee schedule and a
few demo patents on the demo institution's achievements, dated from today so that one fee
falls due within weeks, one is in its late-payment period, a design filed after 2021-06-01
runs 15 years and one patent has lapsed (its lapse recorded as a status change); one licence
pays a running royalty, one quarter reported and the later ones owed. The transfer demo's
contracts already carry payment schedules whose final instalments are open. Idempotent.

The patent numbers are demo numbers (serials from 9000000, check digit valid) and the titles
say so: no real patent is implied."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tmhub.mywork.models import FeeSchedule
from tmhub.mywork.patents import add_months

# The national office's annual fee bands (yuan per patent year) as entered for the demo; the
# source column says to check them against the office's current schedule.
FEE_BANDS = [
    ("invention", 1, 3, 900), ("invention", 4, 6, 1200), ("invention", 7, 9, 2000),
    ("invention", 10, 12, 4000), ("invention", 13, 15, 6000), ("invention", 16, 20, 8000),
    ("utility_model", 1, 3, 600), ("utility_model", 4, 5, 900),
    ("utility_model", 6, 8, 1200), ("utility_model", 9, 10, 2000),
    ("design", 1, 3, 600), ("design", 4, 5, 900), ("design", 6, 8, 1200),
    ("design", 9, 10, 2000), ("design", 11, 15, 3000),
]
FEE_SOURCE = "国家知识产权局专利收费标准（演示录入，请以官方现行公告为准）"


def _patents(today):
    """(type, filed_on, granted_on, status, title) of the demo patents."""
    soon = add_months(today + datetime.timedelta(days=21), -12 * 6)
    late = add_months(today - datetime.timedelta(days=45), -12 * 9)
    design = datetime.date(2021, 6, 18)
    lapsed = add_months(today, -12 * 12)
    return [
        ("invention", soon, add_months(soon, 30), "granted", "（演示）固态电解质制备方法"),
        ("invention", late, add_months(late, 26), "granted", "（演示）巡检机器人定位方法"),
        ("design", design, datetime.date(2022, 1, 7), "granted", "（演示）巡检机器人外壳"),
        # Granted, its fees paid for years, then one left unpaid past its late period: the
        # lapse is recorded as a status change (with its reason) in the seed below.
        ("utility_model", lapsed, add_months(lapsed, 10), "granted", "（演示）电池夹具"),
    ]
LAPSE_REASON = "第9年度年费未在滞纳期内缴纳，专利权终止（演示：国家知识产权局终止通知）"


def _pay_past_fees(record, actor, today, *, leave_last_unpaid: bool,
                   stop_at_year: int | None = None) -> None:
    """The fees that fell due before today were paid on their due dates (one patent's last
    one excepted: it is in its late-payment period; the lapsed one's from ``stop_at_year``)."""
    from tmhub.mywork import patents, portfolio
    from tmhub.mywork.services import record_fee_payment

    if record.status != "granted":
        return
    past = [fee for fee in patents.annual_fees(record.ip_type, record.filed_on,
                                               record.granted_on) if fee.due_on < today]
    if leave_last_unpaid:
        past = past[:-1]
    if stop_at_year is not None:
        past = [fee for fee in past if fee.year < stop_at_year]
    for fee in past:
        record_fee_payment(record, actor=actor, year=fee.year, paid_on=fee.due_on,
                           amount_fen=portfolio.fee_amount(record.ip_type, fee.year) or 0)


def seed(ctx) -> None:
    from tmhub.core.actors import SYSTEM
    from tmhub.mywork.services import add_fee_band

    for ip_type, first, last, yuan in FEE_BANDS:
        if not FeeSchedule.objects.filter(ip_type=ip_type, from_year=first).exists():
            add_fee_band(actor=SYSTEM, ip_type=ip_type, from_year=first, to_year=last,
                         amount_fen=yuan * 100, basis=FEE_SOURCE)
    from tmhub.accounts.models import User
    from tmhub.mywork.patents import TYPE_DIGIT
    from tmhub.transfer import services
    from tmhub.transfer.models import Achievement, IPRecord
    from tmhub.transfer.validators import patent_check_digit

    admin = User.objects.filter(username="tto_admin").first()
    if admin is None or IPRecord.objects.filter(title__startswith="（演示）").exists():
        return
    organization_ids = admin.memberships.filter(is_active=True).values("organization_id")
    achievement = Achievement.objects.filter(owner__in=organization_ids).order_by("pk").first()
    if achievement is None:
        return
    today = timezone.localdate()
    for serial, (ip_type, filed, granted, status, title) in enumerate(_patents(today), 9000000):
        digits = f"{filed.year}{TYPE_DIGIT[ip_type]}{serial:07d}"
        record = services.add_ip_record(
            achievement, actor=admin, ip_type=ip_type,
            number=f"{digits}.{patent_check_digit(digits)}", title=title, filed_on=filed,
            granted_on=granted, status=status)
        lapses = ip_type == "utility_model"
        _pay_past_fees(record, admin, today, leave_last_unpaid=serial == 9000001,
                       stop_at_year=9 if lapses else None)
        if lapses:
            _lapse(record, admin, today)
    _seed_royalty(admin, organization_ids, today)
    ctx.log("mywork: fee schedule, demo patents (one lapsed), a running royalty")


def _lapse(record, actor, today) -> None:
    """The utility model's year-9 fee went unpaid: the lapse recorded after its late period."""
    from tmhub.mywork import patents
    from tmhub.mywork.services import change_ip_status

    fee = patents.missed_fee(record, today, frozenset(
        record.fee_payments.filter(reversed_at__isnull=True).values_list("year", flat=True)))
    if fee is not None:
        change_ip_status(record, actor=actor, status="lapsed",
                         effective_on=fee.late_until + datetime.timedelta(days=1),
                         reason=LAPSE_REASON)


def _seed_royalty(admin, organization_ids, today) -> None:
    """The institution's oldest licence still in its term pays a 3 % royalty on net sales,
    reported quarterly within 30 days: the first quarter's report is recorded, the later
    ended quarters are owed (the latest overdue, to chase)."""
    from tmhub.core.demo import clock
    from tmhub.mywork import royalties
    from tmhub.mywork.models import RoyaltyTerms
    from tmhub.mywork.services import record_royalty_report, set_royalty_terms
    from tmhub.transfer.models import Contract

    contract = Contract.objects.filter(
        institution__in=organization_ids, kind="licence", term_end__gt=today,
        signed_on__lte=today - datetime.timedelta(days=200)).order_by("signed_on").first()
    if contract is None or RoyaltyTerms.objects.filter(contract=contract).exists():
        return
    # Royalties for two years of sales (eight whole quarters), not up to the term's last day.
    terms = set_royalty_terms(contract, actor=admin, rate_percent="3.00", period_months=3,
                              first_period_start=contract.signed_on, report_within_days=30,
                              payment_within_days=30,
                              ends_on=add_months(contract.signed_on, 24) - datetime.timedelta(
                                  days=1))
    first = royalties.periods(terms, today)[0]
    received = first.end + datetime.timedelta(days=20)
    with clock.happened(received):
        report = record_royalty_report(contract, actor=admin, period_start=first.start,
                                       received_on=received, net_sales_fen=1_864_000_00,
                                       note="被许可方季度销售报表（演示）")
    type(report).objects.filter(pk=report.pk).update(recorded_at=clock.moment(received))
