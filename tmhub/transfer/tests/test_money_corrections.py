"""Money that can be corrected (issue 11 item 2): a receipt or a deductible cost is never
edited or deleted; it is corrected by a reversing entry (who, when, why) that leaves the
original visible, and net income and every figure built on it follow the correction."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from conftest import client_for
from tmhub.core import metrics
from tmhub.core.models import ObjectChange
from tmhub.transfer import selectors, services
from tmhub.transfer.choices import ContractKind, PartyRole
from tmhub.transfer.models import Contract, Cost, Receipt
from tmhub.transfer.money import income_change_since, net_income_changed_since
from tmhub.transfer.rewards_engine import Person
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db

YEAR_2025 = metrics.Period.year(2025)


@pytest.fixture
def chain(personas):
    return make_chain(personas)


@pytest.fixture
def mistake(personas, chain):
    """A ¥1,200,000 contract on which ¥99,999,999 was received (confirmed by mistake)."""
    contract = services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=chain.project,
        title="误录款项的许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=120_000_000,
        signed_on=datetime.date(2025, 5, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )
    receipt = services.record_receipt(
        contract,
        actor=personas.manager,
        received_on=datetime.date(2025, 6, 1),
        amount_fen=9_999_999_900,
        confirm_over_amount=True,
        over_amount="overpayment",
        reason="对方多付",
    )
    return contract, receipt


def _city_received():
    return selectors.income_totals(Contract.objects.all(), 2025)["received_fen"]


def _enterprise_received(personas):
    return selectors.income_totals(Contract.objects.restrict(personas.enterprise), 2025)[
        "received_fen"
    ]


def _manager_figures(personas):
    keys = ["transfer_income_fen", "transfer_net_income_fen"]
    figures = metrics.compute(keys, [personas.manager.pk], YEAR_2025)
    return {key: figures[key].get(personas.manager.pk, 0) for key in keys}


# ---------------------------------------------------------------- the service
def test_a_reversal_keeps_the_original_and_records_who_when_and_why(personas, mistake):
    contract, receipt = mistake
    changes = ObjectChange.objects.count()

    reversal = services.reverse_receipt(
        receipt, actor=personas.institution_admin, reason="误将合同编号录为金额"
    )

    receipt.refresh_from_db()
    assert receipt.amount_fen == 9_999_999_900  # the original is untouched and still listed
    assert list(contract.receipts.all()) == [receipt, reversal]
    assert reversal.reverses == receipt and receipt.reversed_by == reversal
    assert reversal.amount_fen == -9_999_999_900
    assert reversal.received_on == receipt.received_on  # counts against the original's period
    assert reversal.recorded_by == personas.institution_admin
    assert reversal.recorded_at is not None
    assert reversal.reason == "误将合同编号录为金额"
    assert list(contract.receipts.effective()) == []
    assert contract.received_fen() == 0
    assert ObjectChange.objects.count() == changes + 1
    assert ObjectChange.objects.latest("pk").object_id == str(reversal.pk)


def test_an_entry_is_reversed_once_and_a_reversal_is_never_reversed(personas, mistake):
    contract, receipt = mistake
    reversal = services.reverse_receipt(receipt, actor=personas.institution_admin, reason="录错")

    with pytest.raises(ValidationError) as twice:
        services.reverse_receipt(receipt, actor=personas.institution_admin, reason="再次")
    assert twice.value.code == "already_reversed"
    with pytest.raises(ValidationError) as of_reversal:
        services.reverse_receipt(reversal, actor=personas.institution_admin, reason="冲回冲销")
    assert of_reversal.value.code == "cannot_reverse_reversal"
    assert contract.receipts.count() == 2


def test_a_reversal_needs_a_reason_and_the_institutions_administrator(personas, mistake):
    contract, receipt = mistake
    with pytest.raises(ValidationError) as no_reason:
        services.reverse_receipt(receipt, actor=personas.institution_admin, reason="  ")
    assert no_reason.value.error_dict["reason"][0].code == "reason_required"
    with pytest.raises(ValidationError) as manager:
        services.reverse_receipt(receipt, actor=personas.manager, reason="录错")
    assert manager.value.code == "correction_forbidden"
    assert contract.receipts.count() == 1


def test_after_a_reversal_the_right_amount_is_recorded_without_confirmation(personas, mistake):
    contract, receipt = mistake
    services.reverse_receipt(receipt, actor=personas.institution_admin, reason="金额录错")

    services.record_receipt(
        contract,
        actor=personas.manager,
        received_on=datetime.date(2025, 6, 1),
        amount_fen=120_000_000,  # the whole contract amount: not above it any more
    )

    assert contract.received_fen() == 120_000_000
    assert contract.over_amount_receipts().count() == 0


def test_reversing_a_cost_raises_net_income(personas, chain):
    contract = chain.contract  # received 600,000.00, costs 10,000.00
    cost = contract.costs.get()
    assert contract.net_income_fen() == 59_000_000

    reversal = services.reverse_cost(cost, actor=personas.institution_admin, reason="重复录入")

    assert reversal.amount_fen == -1_000_000
    assert reversal.category == cost.category and reversal.incurred_on == cost.incurred_on
    assert contract.costs_fen() == 0
    assert contract.net_income_fen() == 60_000_000


# ---------------------------------------------------------------- every figure follows
def test_city_enterprise_and_manager_totals_drop_after_the_reversal(personas, mistake):
    contract, receipt = mistake
    city, enterprise, manager = (
        _city_received(),
        _enterprise_received(personas),
        _manager_figures(personas),
    )
    assert city >= 9_999_999_900 and enterprise >= 9_999_999_900

    services.reverse_receipt(receipt, actor=personas.institution_admin, reason="金额录错")

    assert _city_received() == city - 9_999_999_900
    assert _enterprise_received(personas) == enterprise - 9_999_999_900
    after = _manager_figures(personas)
    assert after["transfer_income_fen"] == manager["transfer_income_fen"] - 9_999_999_900
    assert after["transfer_net_income_fen"] == manager["transfer_net_income_fen"] - 9_999_999_900


def test_an_approved_split_keeps_its_amounts_and_is_flagged_when_income_changes(personas, chain):
    approved = chain.split_approved  # ¥300,000.00 of the ¥590,000.00 net income, frozen
    frozen = (approved.amount_fen, approved.team_fen, approved.office_fen)
    assert not net_income_changed_since(approved)
    assert not net_income_changed_since(chain.split_draft)  # drafts are not frozen

    services.reverse_receipt(
        chain.contract.receipts.get(), actor=personas.institution_admin, reason="退款"
    )

    approved.refresh_from_db()
    assert (approved.amount_fen, approved.team_fen, approved.office_fen) == frozen
    assert net_income_changed_since(approved)
    change = income_change_since(approved)
    # Net income up to the income date (2025-04-01, before the cost of 04-02): 600,000.00.
    assert (change.at_approval_fen, change.now_fen) == (60_000_000, 0)
    assert [e.amount_fen for e in change.entries] == [-60_000_000]
    page = client_for(personas.institution_admin).get(chain.contract.get_absolute_url())
    assert "income-changed" in page.content.decode()


def test_money_recorded_after_the_income_date_does_not_flag_the_split(personas, chain):
    services.record_receipt(
        chain.contract,
        actor=personas.manager,
        received_on=datetime.date(2025, 9, 1),  # after the split's income date (2025-04-01)
        amount_fen=1_000_000,
    )
    assert not net_income_changed_since(chain.split_approved)


def test_a_new_split_follows_the_corrected_net_income(personas, chain):
    services.reverse_receipt(
        chain.contract.receipts.get(), actor=personas.institution_admin, reason="退款"
    )
    with pytest.raises(ValidationError) as caught:
        services.create_split(
            actor=personas.institution_admin,
            institution=personas.university,
            contract=chain.contract,
            income_date=datetime.date(2025, 4, 1),
            amount_fen=100,
            people=[Person("王教授", Decimal(100))],
        )
    assert caught.value.error_dict["amount_fen"][0].code == "exceeds_net_income"


# ---------------------------------------------------------------- no edit, no delete
def test_no_page_or_endpoint_edits_or_deletes_money(personas, mistake):
    contract, receipt = mistake
    for name in ("receipt-edit", "receipt-delete", "cost-edit", "cost-delete"):
        with pytest.raises(NoReverseMatch):
            reverse(f"transfer:{name}", args=[receipt.pk])
    api = client_for(personas.municipal_admin)
    for url in (
        reverse("contract-receipts", args=[contract.pk]),
        reverse("contract-costs", args=[contract.pk]),
        reverse("contract-receipt-reverse", args=[contract.pk, receipt.pk]),
    ):
        for method in ("put", "patch", "delete"):
            response = getattr(api, method)(url, data={}, content_type="application/json")
            assert response.status_code == 405, (method, url)
    receipt.refresh_from_db()
    assert receipt.amount_fen == 9_999_999_900
    # The Django admin shows receipts and costs with their contract, read-only.
    admin = site._registry[Contract]
    request = RequestFactory().get("/")
    request.user = personas.municipal_admin
    for inline in admin.get_inline_instances(request, contract):
        if inline.model in (Receipt, Cost):
            assert not inline.has_add_permission(request, contract)
            assert not inline.has_change_permission(request, contract)
            assert not inline.has_delete_permission(request, contract)
    assert Receipt not in site._registry and Cost not in site._registry


# ---------------------------------------------------------------- pages and API
def test_the_page_reverses_with_a_reason_and_shows_both_entries(personas, mistake):
    contract, receipt = mistake
    admin = client_for(personas.institution_admin)
    url = reverse("transfer:receipt-reverse", args=[receipt.pk])

    refused = admin.post(url, {"x-reason": ""}, follow=True)
    assert contract.receipts.count() == 1
    assert "Say why" in refused.content.decode() or "说明" in refused.content.decode()

    admin.post(url, {"x-reason": "金额录错"})
    page = admin.get(contract.get_absolute_url()).content.decode()
    assert contract.receipts.count() == 2 and contract.received_fen() == 0
    assert f'id="receipts-{receipt.pk}" class="text-muted money-reversed"' in page
    assert "<s>99,999,999.00</s>" in page
    assert "-99,999,999.00" in page and "金额录错" in page


def test_a_manager_sees_no_reverse_button_and_cannot_reverse_by_posting(personas, mistake):
    contract, receipt = mistake
    manager = client_for(personas.manager)
    page = manager.get(contract.get_absolute_url()).content.decode()
    assert reverse("transfer:receipt-reverse", args=[receipt.pk]) not in page
    manager.post(reverse("transfer:receipt-reverse", args=[receipt.pk]), {"x-reason": "录错"})
    assert contract.receipts.count() == 1
    admin_page = client_for(personas.institution_admin).get(contract.get_absolute_url())
    assert reverse("transfer:receipt-reverse", args=[receipt.pk]) in admin_page.content.decode()


def test_the_api_reverses_a_receipt_and_a_cost_and_lists_both(personas, chain):
    contract = chain.contract
    receipt, cost = contract.receipts.get(), contract.costs.get()
    api = client_for(personas.institution_admin)

    missing = api.post(
        reverse("contract-receipt-reverse", args=[contract.pk, receipt.pk]),
        {},
        content_type="application/json",
    )
    assert missing.status_code == 400
    assert missing.json()["fields"]["reason"][0]["code"] == "required"

    answer = api.post(
        reverse("contract-receipt-reverse", args=[contract.pk, receipt.pk]),
        {"reason": "退款"},
        content_type="application/json",
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["received_fen"] == 0 and body["received"] == "0.00"
    original, reversal = body["receipts"]
    assert original["reversed_by"] == reversal["id"] and reversal["reverses"] == original["id"]
    assert reversal["amount"] == "-600000.00" and reversal["reason"] == "退款"
    assert reversal["recorded_by"] == personas.institution_admin.username

    again = api.post(
        reverse("contract-receipt-reverse", args=[contract.pk, receipt.pk]),
        {"reason": "再次"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["fields"]["non_field_errors"][0]["code"] == "already_reversed"

    cost_answer = api.post(
        reverse("contract-cost-reverse", args=[contract.pk, cost.pk]),
        {"reason": "重复录入"},
        content_type="application/json",
    )
    assert cost_answer.status_code == 201
    assert cost_answer.json()["costs_fen"] == 0

    manager = client_for(personas.manager).post(
        reverse("contract-receipt-reverse", args=[contract.pk, receipt.pk]),
        {"reason": "录错"},
        content_type="application/json",
    )
    assert manager.status_code == 400
    assert manager.json()["fields"]["non_field_errors"][0]["code"] == "correction_forbidden"


def test_a_receipt_of_another_contract_answers_404(personas, chain, mistake):
    contract, receipt = mistake
    response = client_for(personas.institution_admin).post(
        reverse("contract-receipt-reverse", args=[chain.contract.pk, receipt.pk]),
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    hidden = client_for(personas.outsider).post(
        reverse("transfer:receipt-reverse", args=[receipt.pk]), {"x-reason": "x"}
    )
    assert hidden.status_code == 404
    assert contract.receipts.count() == 1


def test_the_other_party_sees_the_entries_but_not_who_recorded_them_or_why(personas, mistake):
    contract, receipt = mistake
    services.reverse_receipt(receipt, actor=personas.institution_admin, reason="内部核对：录错")
    enterprise = client_for(personas.enterprise)  # the buyer, a party to the contract

    page = enterprise.get(contract.get_absolute_url()).content.decode()
    assert "money-reversed" in page and "-99,999,999.00" in page
    assert "内部核对" not in page and personas.institution_admin.username not in page
    body = enterprise.get(reverse("contract-detail", args=[contract.pk])).json()
    assert [r["amount"] for r in body["receipts"]] == ["99999999.00", "-99999999.00"]
    assert {(r["recorded_by"], r["reason"]) for r in body["receipts"]} == {(None, "")}
    inside = client_for(personas.institution_admin).get(
        reverse("contract-detail", args=[contract.pk])
    )
    assert inside.json()["receipts"][1]["reason"] == "内部核对：录错"
