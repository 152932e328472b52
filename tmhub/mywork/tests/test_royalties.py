"""Running royalties: the reporting periods, the reports owed as work, a report's royalty in
the payment schedule (cleared by receipts), its reversal, and who sees what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.models import ObjectChange
from tmhub.mywork import receivables, royalties
from tmhub.mywork.models import RoyaltyTerms
from tmhub.mywork.patents import add_months
from tmhub.mywork.services import (
    record_royalty_report,
    reverse_royalty_report,
    set_royalty_terms,
)
from tmhub.transfer import services
from tmhub.transfer.models import Contract
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
KIND = "transfer.royalty_report"
OTHERS = ("outsider", "enterprise", "district_officer", "department_officer",
          "municipal_admin", "service_provider", "reviewer", "health_officer")


def items(user, kind=KIND):
    return [i for i in work_items.items_for(get_scope(user)) if i.kind == kind]


def _terms(contract, start, months=3, **values):
    return RoyaltyTerms(contract=contract, rate_percent="3.00", period_months=months,
                        first_period_start=start, report_within_days=30,
                        payment_within_days=30, **values)


def test_periods_are_anchored_to_the_first_day_and_cut_at_the_end():
    contract = Contract(term_end=None)
    terms = _terms(contract, datetime.date(2024, 1, 31), ends_on=datetime.date(2024, 12, 15))
    found = royalties.periods(terms, datetime.date(2030, 1, 1))
    assert [(p.start, p.end) for p in found] == [
        (datetime.date(2024, 1, 31), datetime.date(2024, 4, 29)),
        (datetime.date(2024, 4, 30), datetime.date(2024, 7, 30)),
        (datetime.date(2024, 7, 31), datetime.date(2024, 10, 30)),
        (datetime.date(2024, 10, 31), datetime.date(2024, 12, 15)),  # cut at the end
    ]
    assert found[0].report_due == datetime.date(2024, 5, 29)
    leap = _terms(contract, datetime.date(2023, 2, 28), months=12)
    assert [(p.start, p.end) for p in royalties.periods(leap, datetime.date(2024, 3, 1))] == [
        (datetime.date(2023, 2, 28), datetime.date(2024, 2, 27)),
        (datetime.date(2024, 2, 28), datetime.date(2025, 2, 27)),
    ]


def test_the_royalty_is_rounded_half_up_to_the_fen():
    assert royalties.royalty_fen(186_400_000, "3.00") == 5_592_000
    assert royalties.royalty_fen(1, "50.00") == 1  # 0.5 fen
    assert royalties.royalty_fen(3, "10.00") == 0  # 0.3 fen


@pytest.fixture
def licence(personas):
    """The chain's licence (100万 yuan, 60万 received) with a 3 % quarterly royalty whose
    first quarter started seven months ago: two quarters have ended and are owed."""
    contract = make_chain(personas).contract
    start = add_months(timezone.localdate().replace(day=1), -7)
    terms = set_royalty_terms(contract, actor=personas.institution_admin, rate_percent="3.00",
                              period_months=3, first_period_start=start,
                              report_within_days=30, payment_within_days=30, ends_on=None)
    return contract, terms


def test_ended_periods_are_the_keepers_work_until_reported(personas, licence):
    contract, terms = licence
    today = timezone.localdate()
    states = royalties.schedule(terms, today)
    owed = [s.period for s in states if s.owed(today)]
    assert len(owed) == 2
    # The ended quarters, and those whose report falls due within the horizon (reminded
    # ahead like a patent fee), are work; a quarter whose report is due later is not yet.
    expected = [s.period for s in states
                if s.period.report_due <= today + 180 * DAY]
    assert len(expected) == 4 and expected[:2] == owed
    mine = items(personas.institution_admin)
    assert [i.extra["period_start"] for i in mine] == [p.start.isoformat() for p in expected]
    assert [i.due_on for i in mine] == [p.report_due for p in expected]
    assert mine[0].overdue()  # its report was due 30 days after a quarter that ended long ago
    for persona in OTHERS:
        assert items(getattr(personas, persona)) == [], persona
    report = record_royalty_report(contract, actor=personas.institution_admin,
                                   period_start=owed[0].start,
                                   received_on=owed[0].end + 10 * DAY,
                                   net_sales_fen=186_400_000, note="季度报表")
    assert report.royalty_fen == 5_592_000 and report.rate_percent == terms.rate_percent
    assert [i.extra["period_start"] for i in items(personas.institution_admin)] == [
        p.start.isoformat() for p in expected[1:]]


def test_a_report_adds_its_royalty_to_the_schedule_and_a_receipt_clears_it(personas, licence):
    contract, terms = licence
    today = timezone.localdate()
    first = royalties.schedule(terms, today)[0].period
    # The down payment's instalment, which the 60万 received paid (receipts pay the oldest
    # instalment first).
    services.add_installment(contract, actor=personas.manager, due_on=datetime.date(2025, 4, 1),
                             amount_fen=60_000_000, description="首付款")
    report = record_royalty_report(contract, actor=personas.manager, period_start=first.start,
                                   received_on=first.end + 10 * DAY,
                                   net_sales_fen=1_500_000_000)  # 45万 royalty
    installment = report.installment
    assert installment.is_royalty and installment.amount_fen == 45_000_000
    assert installment.due_on == first.end + 40 * DAY
    [(found, line)] = receivables.open_lines(get_scope(personas.institution_admin))
    assert (found, line.installment, line.balance_fen) == (contract, installment, 45_000_000)
    # 60万 received + 45万 royalty exceeds the 100万 registered: still no over-amount question,
    # the royalty is owed on top of the contract amount.
    receipt = services.record_receipt(contract, actor=personas.manager, received_on=today,
                                      amount_fen=45_000_000, note="提成款")
    assert receipt.over_amount == ""
    assert receivables.open_lines(get_scope(personas.institution_admin)) == []
    services.record_receipt(contract, actor=personas.manager, received_on=today,
                            amount_fen=40_000_000, note="尾款")  # 145万: amount and royalty
    with pytest.raises(ValidationError) as refused:  # one fen beyond both: asked
        services.record_receipt(contract, actor=personas.manager, received_on=today,
                                amount_fen=1)
    assert "amount_fen" in refused.value.message_dict


def test_a_report_is_checked_against_the_periods(personas, licence):
    contract, terms = licence
    today = timezone.localdate()
    states = royalties.schedule(terms, today)
    first, current = states[0].period, next(s.period for s in states if not s.owed(today))

    def record(**values):
        defaults = {"period_start": first.start, "received_on": first.end + DAY,
                    "net_sales_fen": 100}
        return record_royalty_report(contract, actor=personas.institution_admin,
                                     **{**defaults, **values})

    with pytest.raises(ValidationError) as wrong:
        record(period_start=first.start + DAY)
    assert wrong.value.message_dict.keys() == {"period_start"}
    with pytest.raises(ValidationError) as early:
        record(period_start=current.start, received_on=today)
    assert early.value.message_dict.keys() == {"received_on"}
    record()
    with pytest.raises(ValidationError) as twice:
        record()
    assert twice.value.message_dict.keys() == {"period_start"}
    with pytest.raises(Http404):
        record_royalty_report(contract, actor=personas.outsider,
                              period_start=states[1].period.start,
                              received_on=states[1].period.end + DAY, net_sales_fen=1)


def test_a_wrong_report_is_reversed_by_an_administrator_and_recorded_again(personas, licence):
    contract, terms = licence
    first = royalties.schedule(terms, timezone.localdate())[0].period
    report = record_royalty_report(contract, actor=personas.manager, period_start=first.start,
                                   received_on=first.end + DAY, net_sales_fen=10_000_000)
    installment_pk = report.installment_id
    with pytest.raises(Http404):  # the manager records money; the office corrects it
        reverse_royalty_report(report, actor=personas.manager, reason="录错")
    with pytest.raises(ValidationError):
        reverse_royalty_report(report, actor=personas.institution_admin, reason=" ")
    reverse_royalty_report(report, actor=personas.institution_admin,
                           reason="被许可方更正销售额")
    report.refresh_from_db()
    assert report.reversed_at and report.installment is None
    assert not contract.installments.filter(pk=installment_pk).exists()
    assert ObjectChange.objects.filter(object_id=installment_pk,
                                       action=ObjectChange.Action.DELETE).exists()
    assert first.start.isoformat() in [i.extra["period_start"]
                                        for i in items(personas.institution_admin)]
    again = record_royalty_report(contract, actor=personas.manager, period_start=first.start,
                                  received_on=first.end + 2 * DAY, net_sales_fen=12_000_000)
    assert list(contract.royalty_reports.values_list("pk", flat=True)) == [report.pk, again.pk]


def test_terms_are_the_contracts_keepers_and_checked(personas, licence):
    contract, _terms = licence
    with pytest.raises(Http404):
        set_royalty_terms(contract, actor=personas.enterprise, rate_percent="5.00")
    with pytest.raises(ValidationError) as early:
        set_royalty_terms(contract, actor=personas.institution_admin,
                          first_period_start=datetime.date(2024, 1, 1))
    assert early.value.message_dict.keys() == {"first_period_start"}  # before signing
    with pytest.raises(ValidationError) as order:
        set_royalty_terms(contract, actor=personas.institution_admin,
                          ends_on=datetime.date(2025, 3, 15),
                          first_period_start=datetime.date(2025, 4, 1))
    assert order.value.message_dict.keys() == {"ends_on"}


def test_the_pages_record_a_report_and_show_errors_beside_the_fields(client, personas,
                                                                     licence):
    contract, terms = licence
    today = timezone.localdate()
    first = royalties.schedule(terms, today)[0].period
    url = reverse("mywork:royalty-contract", args=[contract.pk])
    client.force_login(personas.institution_admin)
    listing = client.get(reverse("mywork:royalties"), {"owing": "1"})
    assert [row["terms"] for row in listing.context["rows"]] == [terms]
    assert client.get(reverse("mywork:royalties"), {"q": "不存在的合同"}).context["rows"] == []
    page = client.get(url)
    assert page.status_code == 200 and b'id="royalty-report-form"' in page.content
    bad = client.post(url, {"action": "report", "report-period_start": first.start.isoformat(),
                            "report-received_on": first.start.isoformat(),
                            "report-net_sales_yuan": "100.00"})
    assert bad.status_code == 400
    assert bad.context["report_form"].errors.keys() == {"received_on"}
    good = client.post(url, {"action": "report", "report-period_start": first.start.isoformat(),
                             "report-received_on": (first.end + DAY).isoformat(),
                             "report-net_sales_yuan": "18640.00"})
    assert good.status_code == 302
    assert contract.royalty_reports.get().royalty_fen == 55_920
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "terms"}).status_code == 404
    assert client.get(reverse("mywork:royalties")).context["rows"] == []
    client.force_login(personas.enterprise)  # the licensee, a party, reads its reports
    assert [row["terms"] for row in client.get(reverse("mywork:royalties")).context["rows"]] \
        == [terms]
    assert client.post(url, {"action": "terms"}).status_code == 404  # but changes nothing
