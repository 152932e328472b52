"""Patent fees and contract instalments as work: who sees them, what clears them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.mywork import receivables
from tmhub.mywork.models import FeeSchedule
from tmhub.mywork.patents import add_months
from tmhub.mywork.services import record_fee_payment
from tmhub.mywork.tests.helpers import add_patent
from tmhub.transfer import services
from tmhub.transfer.tests.chain import make_achievement, make_chain

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def items(user, kind):
    return [i for i in work_items.items_for(get_scope(user)) if i.kind == kind]


@pytest.fixture
def patents_due(personas):
    today = timezone.localdate()
    achievement = make_achievement(personas, actor=personas.institution_admin)
    late_filed = add_months(today - 40 * DAY, -12 * 11)  # year 12's fee fell due 40 days ago
    late = add_patent(achievement, personas.institution_admin, filed_on=late_filed,
                      granted_on=add_months(late_filed, 24))
    soon_filed = add_months(today + 30 * DAY, -12 * 5)  # year 6's fee falls due in 30 days
    soon = add_patent(achievement, personas.institution_admin, ip_type="utility_model",
                      filed_on=soon_filed, granted_on=add_months(soon_filed, 12))
    FeeSchedule.objects.create(ip_type="invention", from_year=10, to_year=12,
                               amount_fen=400_000, basis="测试收费标准")
    # The fees of earlier years were paid on time (else the patents would have lapsed).
    from tmhub.mywork import patents

    for record in (late, soon):
        for fee in patents.annual_fees(record.ip_type, record.filed_on, record.granted_on):
            if fee.late_until < today:
                record_fee_payment(record, actor=personas.institution_admin, year=fee.year,
                                   paid_on=fee.due_on, amount_fen=90_000)
    return late, soon


def test_due_and_late_fees_are_the_owner_institutions_work_only(personas, patents_due):
    late, soon = patents_due
    mine = items(personas.institution_admin, "transfer.patent_fee")
    assert [(i.record, i.extra["deadline"]) for i in mine] == [(late, "late_fee"),
                                                              (soon, "fee")]
    assert mine[0].overdue() and "4,000.00" in mine[0].detail
    for persona in ("outsider", "enterprise", "district_officer", "department_officer",
                    "municipal_admin", "service_provider", "reviewer", "health_officer"):
        assert items(getattr(personas, persona), "transfer.patent_fee") == [], persona


def test_recording_the_payment_clears_the_fee_once(personas, patents_due):
    late, _soon = patents_due
    year = items(personas.institution_admin, "transfer.patent_fee")[0].extra["year"]
    with pytest.raises(Http404):
        record_fee_payment(late, actor=personas.outsider, year=year,
                           paid_on=timezone.localdate(), amount_fen=420_000)
    with pytest.raises(ValidationError):
        record_fee_payment(late, actor=personas.institution_admin, year=2,
                           paid_on=timezone.localdate(), amount_fen=1)  # before the grant
    record_fee_payment(late, actor=personas.institution_admin, year=year,
                       paid_on=timezone.localdate(), amount_fen=420_000)
    assert [i.record for i in items(personas.institution_admin, "transfer.patent_fee")] == [
        patents_due[1]]
    with pytest.raises(ValidationError):
        record_fee_payment(late, actor=personas.institution_admin, year=year,
                           paid_on=timezone.localdate(), amount_fen=420_000)


def test_portfolio_page_and_api_stay_inside_the_institution(client, personas, patents_due):
    org = personas.university
    client.force_login(personas.institution_admin)
    page = client.get(reverse("mywork:patents", args=[org.pk]))
    assert page.status_code == 200
    assert page.context["counts"] == {30: 2, 90: 2, 180: 2}
    assert page.context["forecast"][0]["year"] == timezone.localdate().year
    api = client.get("/api/v1/ip-deadlines/").json()
    assert {row["kind"] for row in api["results"]} >= {"fee", "late_fee"}
    assert client.get("/api/v1/ip-deadlines/", {"within": "7"}).status_code == 400
    client.force_login(personas.outsider)
    assert client.get(reverse("mywork:patents", args=[org.pk])).status_code == 404
    assert client.get("/api/v1/ip-deadlines/").json()["count"] == 0
    client.force_login(personas.district_officer)
    assert client.get(reverse("mywork:patents", args=[org.pk])).status_code == 404


def test_the_page_records_a_payment(client, personas, patents_due):
    late, _soon = patents_due
    client.force_login(personas.institution_admin)
    year = items(personas.institution_admin, "transfer.patent_fee")[0].extra["year"]
    answer = client.post(reverse("mywork:fee-pay", args=[late.pk]), {
        "year": year, "paid_on": timezone.localdate().isoformat(), "amount_yuan": "4200"})
    assert answer.status_code == 302
    assert late.fee_payments.get(year=year).amount_fen == 420_000
    client.force_login(personas.outsider)
    assert client.post(reverse("mywork:fee-pay", args=[late.pk]), {
        "year": year + 1, "paid_on": timezone.localdate().isoformat(),
        "amount_yuan": "1"}).status_code == 404


@pytest.fixture
def schedule(personas):
    """The chain's licence (100万 yuan, 60万 received) with three instalments."""
    chain = make_chain(personas)
    today = timezone.localdate()
    contract = chain.contract
    add = lambda days, fen: services.add_installment(  # noqa: E731
        contract, actor=personas.institution_admin, due_on=today + days * DAY, amount_fen=fen)
    return contract, [add(-60, 50_000_000), add(-10, 30_000_000), add(20, 20_000_000)]


def test_receipts_clear_the_oldest_instalment_first_and_a_partial_keeps_the_balance(
        personas, schedule):
    contract, (first, second, third) = schedule
    lines = receivables.lines(contract)
    assert [(line.paid_fen, line.balance_fen) for line in lines] == [
        (50_000_000, 0), (10_000_000, 20_000_000), (0, 20_000_000)]
    assert lines[1].partial and lines[1].overdue(timezone.localdate())
    work = items(personas.institution_admin, "transfer.installment")
    assert [(i.record, i.extra["balance_fen"]) for i in work] == [(second, 20_000_000),
                                                                  (third, 20_000_000)]
    assert work[0].overdue()
    for persona in ("outsider", "enterprise", "district_officer", "department_officer",
                    "municipal_admin", "service_provider", "reviewer", "health_officer"):
        assert items(getattr(personas, persona), "transfer.installment") == [], persona
    services.record_receipt(contract, actor=personas.institution_admin,
                            received_on=timezone.localdate(), amount_fen=5_000_000)
    assert [i.extra["balance_fen"] for i in items(personas.institution_admin,
                                                   "transfer.installment")] == [
        15_000_000, 20_000_000]  # partially paid: still open, with the balance
    services.record_receipt(contract, actor=personas.institution_admin,
                            received_on=timezone.localdate(), amount_fen=15_000_000)
    assert [i.record for i in items(personas.institution_admin, "transfer.installment")] == [
        third]


def test_a_reversed_receipt_reopens_the_instalment(personas, schedule):
    contract, (_first, second, _third) = schedule
    receipt = services.record_receipt(contract, actor=personas.institution_admin,
                                      received_on=timezone.localdate(), amount_fen=20_000_000)
    assert second not in [i.record for i in items(personas.institution_admin,
                                                  "transfer.installment")]
    services.reverse_receipt(receipt, actor=personas.institution_admin, reason="银行退票")
    assert second in [i.record for i in items(personas.institution_admin,
                                              "transfer.installment")]


def test_ageing_and_api_per_institution(client, personas, schedule):
    contract, _lines = schedule
    client.force_login(personas.institution_admin)
    page = client.get(reverse("mywork:receivables"))
    assert page.status_code == 200
    [row] = page.context["ageing"]
    assert (row["d30"], row["current"], row["total"]) == (20_000_000, 20_000_000, 40_000_000)
    api = client.get("/api/v1/receivables/", {"overdue": "1"}).json()
    assert [(r["balance_fen"], r["bucket"]) for r in api["results"]] == [(20_000_000, "d30")]
    client.force_login(personas.outsider)
    assert client.get("/api/v1/receivables/").json()["count"] == 0
    assert client.get(reverse("mywork:receivables")).context["ageing"] == []
    assert items(personas.outsider, "transfer.installment") == []


def test_a_wrong_payment_is_reversed_and_the_fee_is_owed_again(client, personas, patents_due):
    from tmhub.core.models import ObjectChange
    from tmhub.mywork.services import reverse_fee_payment

    late, _soon = patents_due
    year = items(personas.institution_admin, "transfer.patent_fee")[0].extra["year"]
    payment = record_fee_payment(late, actor=personas.institution_admin, year=year,
                                 paid_on=timezone.localdate(), amount_fen=420_000)
    assert late not in [i.record for i in items(personas.institution_admin,
                                                "transfer.patent_fee")]
    with pytest.raises(Http404):  # who records payments does not correct them
        reverse_fee_payment(payment, actor=personas.municipal_admin, reason="录错")
    with pytest.raises(ValidationError):
        reverse_fee_payment(payment, actor=personas.institution_admin, reason="")
    client.force_login(personas.institution_admin)
    client.post(reverse("mywork:fee-reverse", args=[payment.pk]),
                {"reason": "缴费专利号录错"})
    payment.refresh_from_db()
    assert payment.reversed_at and payment.reversed_by == personas.institution_admin
    assert ObjectChange.objects.filter(object_id=payment.pk,
                                       action=ObjectChange.Action.UPDATE).exists()
    assert late in [i.record for i in items(personas.institution_admin, "transfer.patent_fee")]
    again = record_fee_payment(late, actor=personas.institution_admin, year=year,
                               paid_on=timezone.localdate(), amount_fen=420_000)
    assert again.pk != payment.pk  # the right payment recorded beside the reversed one
    html = client.get(reverse("mywork:patents", args=[personas.university.pk])).content.decode()
    assert "缴费专利号录错" in html
