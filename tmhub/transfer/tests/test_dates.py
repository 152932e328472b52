"""Dates outside a sensible range are refused with a field error, in the services, the pages
and the API (issue 9 item 8): income in 9999, a deadline in 1900, contracts, costs, IP."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.transfer import services
from tmhub.transfer.choices import ActivityKind, ContractKind
from tmhub.transfer.models import Contract, Cost, Demand, Installment, IPRecord, Receipt
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db

FAR_FUTURE = datetime.date(9999, 12, 31)
LONG_AGO = datetime.date(1900, 1, 1)


def today():
    """The day the test runs (never the day the module was imported: Beijing's midnight)."""
    return timezone.localdate()


@pytest.fixture
def chain(personas):
    return make_chain(personas)


def _codes(exc):
    return {name: errors[0].code for name, errors in exc.error_dict.items()}


def test_income_received_in_9999_is_refused(personas, chain):
    receipts = Receipt.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.record_receipt(chain.contract, actor=personas.manager, received_on=FAR_FUTURE,
                                amount_fen=100)
    assert _codes(caught.value) == {"received_on": "date_in_future"}
    response = client_for(personas.manager).post(
        reverse("contract-receipts", args=[chain.contract.pk]),
        {"received_on": "9999-12-31", "amount_fen": 100}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["received_on"][0]["code"] == "date_in_future"
    page = client_for(personas.manager).post(
        reverse("transfer:contract-receipt", args=[chain.contract.pk]),
        {"r-received_on": "9999-12-31", "r-amount": "1"}, follow=True)
    assert page.status_code == 200
    assert Receipt.objects.count() == receipts


def test_a_receipt_dated_tomorrow_is_still_accepted(personas, chain):
    services.record_receipt(chain.contract, actor=personas.manager,
                            received_on=today() + datetime.timedelta(days=1), amount_fen=100)


def test_costs_and_scheduled_payments_outside_the_range_are_refused(personas, chain):
    with pytest.raises(ValidationError) as caught:
        services.record_cost(chain.contract, actor=personas.manager, incurred_on=LONG_AGO,
                             category="agency", amount_fen=100)
    assert _codes(caught.value) == {"incurred_on": "date_too_early"}
    with pytest.raises(ValidationError) as caught:
        services.add_installment(chain.contract, actor=personas.manager, due_on=FAR_FUTURE,
                                 amount_fen=100)
    assert _codes(caught.value) == {"due_on": "date_too_late"}
    assert not Installment.objects.exists()
    assert Cost.objects.count() == 1  # the chain's own


@pytest.mark.parametrize("dates,field,code", [
    ({"signed_on": FAR_FUTURE}, "signed_on", "date_in_future"),
    ({"signed_on": LONG_AGO}, "signed_on", "date_too_early"),
    ({"term_end": datetime.date(2200, 1, 1)}, "term_end", "date_too_late"),
    ({"term_start": LONG_AGO}, "term_start", "date_too_early"),
    ({"registered_on": FAR_FUTURE}, "registered_on", "date_in_future"),
])
def test_contract_dates_outside_the_range_are_refused(personas, dates, field, code):
    values = {"title": "合同", "kind": ContractKind.LICENCE, "amount_fen": 100,
              "signed_on": datetime.date(2025, 1, 1), **dates}
    with pytest.raises(ValidationError) as caught:
        services.create_contract(actor=personas.institution_admin,
                                 institution=personas.university, **values)
    assert _codes(caught.value)[field] == code
    assert not Contract.objects.exists()


def test_the_contract_api_and_page_refuse_a_signing_date_in_9999(personas):
    response = client_for(personas.institution_admin).post(reverse("contract-list"), {
        "title": "合同", "kind": "licence", "institution": personas.university.pk,
        "amount_fen": 100, "signed_on": "9999-12-31"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["signed_on"][0]["code"] == "date_in_future"
    page = client_for(personas.institution_admin).post(reverse("transfer:contract-create"), {
        "institution": personas.university.pk, "title": "合同", "kind": "licence",
        "counterparty": personas.company.pk, "amount": "1", "currency": "CNY",
        "signed_on": "9999-12-31"})
    assert page.status_code == 200 and page.context["form"].errors["signed_on"]
    assert not Contract.objects.exists()


def test_a_demand_deadline_in_1900_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_demand(actor=personas.enterprise, organization=personas.company,
                               title="需求", problem="问题", deadline=LONG_AGO)
    assert _codes(caught.value) == {"deadline": "date_too_early"}
    response = client_for(personas.enterprise).post(reverse("demand-list"), {
        "title": "需求", "problem": "问题", "organization": personas.company.pk,
        "deadline": "1900-01-01"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["deadline"][0]["code"] == "date_too_early"
    page = client_for(personas.enterprise).post(reverse("transfer:demand-create"), {
        "organization": personas.company.pk, "title": "需求", "problem": "问题",
        "deadline": "1900-01-01"})
    assert page.status_code == 200 and page.context["form"].errors["deadline"]
    assert not Demand.objects.exists()


def test_a_new_deadline_may_not_have_passed_but_a_kept_one_may(personas):
    last_month = today() - datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        services.create_demand(actor=personas.enterprise, organization=personas.company,
                               title="需求", problem="问题", deadline=last_month)
    assert _codes(caught.value) == {"deadline": "date_in_past"}
    demand = services.create_demand(actor=personas.enterprise, organization=personas.company,
                                    title="需求", problem="问题", deadline=today())
    with pytest.raises(ValidationError):
        services.update_demand(demand, actor=personas.enterprise, deadline=last_month)
    # A deadline set long ago (it has passed since) does not block editing the rest.
    Demand.objects.filter(pk=demand.pk).update(deadline=last_month)
    demand = services.update_demand(Demand.objects.get(pk=demand.pk), actor=personas.enterprise,
                                    deadline=last_month, title="新标题")
    assert demand.title == "新标题"
    assert services.update_demand(demand, actor=personas.enterprise,
                                  deadline=datetime.date(2070, 6, 30)).deadline


def test_disclosure_and_ip_dates_outside_the_range_are_refused(personas, chain):
    with pytest.raises(ValidationError) as caught:
        services.update_achievement(chain.draft, actor=personas.manager, disclosed_on=LONG_AGO)
    assert _codes(caught.value) == {"disclosed_on": "date_too_early"}
    for dates, field in (({"filed_on": FAR_FUTURE}, "filed_on"),
                         ({"granted_on": FAR_FUTURE}, "granted_on"),
                         ({"expires_on": FAR_FUTURE}, "expires_on")):
        with pytest.raises(ValidationError) as caught:
            services.add_ip_record(chain.draft, actor=personas.manager, ip_type="software",
                                   number="2025SR0001", **dates)
        assert field in caught.value.message_dict
    assert not IPRecord.objects.filter(number="2025SR0001").exists()


def test_a_split_of_income_in_9999_is_refused_by_the_api(personas, chain):
    response = client_for(personas.institution_admin).post(reverse("reward-split-list"), {
        "contract": chain.contract.pk, "income_date": "9999-12-31", "amount_fen": 100,
        "allocations": [{"name": "王教授", "contribution": "100"}]},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["income_date"][0]["code"] == "date_in_future"


def test_an_activity_dated_1900_is_refused(personas, chain):
    when = timezone.make_aware(datetime.datetime(1900, 1, 1, 9))
    with pytest.raises(ValidationError) as caught:
        services.record_activity(chain.project, actor=personas.manager,
                                 kind=ActivityKind.MEETING, summary="会议", occurred_at=when)
    assert _codes(caught.value) == {"occurred_at": "date_too_early"}
