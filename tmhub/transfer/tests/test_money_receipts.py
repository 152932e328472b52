"""Receipts a transfer office would accept (issue 11 items 2 and 5): above the contract amount
only with an explicit confirmation and a reason (then flagged and listed), never before the
contract was signed or in the future; money typed in yuan with two decimals, stored in fen."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.transfer import services
from tmhub.transfer.choices import ContractKind, PartyRole
from tmhub.transfer.models import Contract, Cost, Receipt
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db

AMOUNT = 120_000_000  # ¥1,200,000.00
TYPO = 9_999_999_900  # ¥99,999,999.00


@pytest.fixture
def contract(personas):
    chain = make_chain(personas)
    return services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=chain.project,
        title="一百二十万的许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=AMOUNT,
        signed_on=datetime.date(2025, 5, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )


def _receipt(contract, actor, **kw):
    values = {"received_on": datetime.date(2025, 6, 1), "amount_fen": TYPO, **kw}
    return services.record_receipt(contract, actor=actor, **values)


def _code(exc, field):
    return exc.error_dict[field][0].code


# ---------------------------------------------------------------- above the contract amount
def test_a_receipt_above_the_contract_amount_is_refused_without_confirmation(personas, contract):
    with pytest.raises(ValidationError) as caught:
        _receipt(contract, personas.manager)
    assert _code(caught.value, "amount_fen") == "exceeds_contract_amount"
    assert "99,999,999.00" in caught.value.messages[0]
    assert "1,200,000.00" in caught.value.messages[0]
    assert contract.receipts.count() == 0


def test_up_to_the_contract_amount_needs_no_confirmation(personas, contract):
    _receipt(contract, personas.manager, amount_fen=AMOUNT - 1)
    _receipt(contract, personas.manager, amount_fen=1)  # exactly the amount
    assert contract.received_fen() == AMOUNT
    with pytest.raises(ValidationError) as caught:
        _receipt(contract, personas.manager, amount_fen=1)  # one fen above
    assert _code(caught.value, "amount_fen") == "exceeds_contract_amount"


def test_the_confirmation_needs_a_kind_and_a_reason(personas, contract):
    with pytest.raises(ValidationError) as no_kind:
        _receipt(contract, personas.manager, confirm_over_amount=True, reason="对方多付")
    assert _code(no_kind.value, "over_amount") == "over_amount_kind_required"
    with pytest.raises(ValidationError) as legacy_kind:
        _receipt(
            contract,
            personas.manager,
            confirm_over_amount=True,
            over_amount="unconfirmed",
            reason="x",
        )
    assert _code(legacy_kind.value, "over_amount") == "over_amount_kind_required"
    with pytest.raises(ValidationError) as no_reason:
        _receipt(contract, personas.manager, confirm_over_amount=True, over_amount="amendment")
    assert _code(no_reason.value, "reason") == "over_amount_reason_required"
    assert contract.receipts.count() == 0


def test_a_confirmed_receipt_is_flagged_and_the_contract_listed(personas, contract):
    receipt = _receipt(
        contract,
        personas.manager,
        confirm_over_amount=True,
        over_amount="amendment",
        reason="补充协议将金额调增，待登记",
    )
    assert receipt.over_amount == "amendment" and receipt.reason.startswith("补充协议")
    assert list(contract.over_amount_receipts()) == [receipt]

    client = client_for(personas.institution_admin)
    flagged = client.get(reverse("transfer:contract-list"), {"over_amount": "true"})
    assert [c.pk for c in flagged.context["object_list"]] == [contract.pk]
    unflagged = client.get(reverse("transfer:contract-list"), {"over_amount": "false"})
    assert contract.pk not in [c.pk for c in unflagged.context["object_list"]]
    assert "over-amount-flag" in flagged.content.decode()
    page = client.get(contract.get_absolute_url()).content.decode()
    assert 'id="over-amount-alert"' in page and "补充协议将金额调增" in page
    api = client.get(reverse("contract-detail", args=[contract.pk])).json()
    assert api["over_amount"] is True
    assert api["receipts"][0]["over_amount"] == "amendment"
    listed = client.get(reverse("contract-list"), {"over_amount": "true"}).json()
    assert [c["id"] for c in listed["results"]] == [contract.pk]


def test_a_reversed_over_amount_receipt_no_longer_flags_the_contract(personas, contract):
    receipt = _receipt(
        contract,
        personas.manager,
        confirm_over_amount=True,
        over_amount="overpayment",
        reason="对方多付",
    )
    services.reverse_receipt(receipt, actor=personas.institution_admin, reason="已退回")
    assert not contract.over_amount_receipts().exists()
    receipt.refresh_from_db()
    assert receipt.over_amount == "overpayment"  # the original keeps its flag, struck through


def test_the_page_asks_for_the_confirmation_next_to_the_fields(personas, contract):
    client = client_for(personas.manager)
    url = reverse("transfer:contract-receipt", args=[contract.pk])
    form = {"r-received_on": "2025-06-01", "r-amount": "99999999"}

    refused = client.post(url, form)
    assert refused.status_code == 200
    errors = refused.context["receipt_form"].errors.as_data()
    assert errors["amount"][0].code == "exceeds_contract_amount"
    assert contract.receipts.count() == 0

    no_reason = client.post(
        url, {**form, "r-confirm_over_amount": "on", "r-over_amount": "overpayment"}
    )
    assert no_reason.context["receipt_form"].errors.as_data()["reason"][0].code == (
        "over_amount_reason_required"
    )

    client.post(
        url,
        {
            **form,
            "r-confirm_over_amount": "on",
            "r-over_amount": "overpayment",
            "r-reason": "对方多付，将退回",
        },
    )
    receipt = contract.receipts.get()
    assert receipt.amount_fen == TYPO and receipt.over_amount == "overpayment"


def test_the_api_asks_for_the_confirmation_with_codes(personas, contract):
    client = client_for(personas.manager)
    url = reverse("contract-receipts", args=[contract.pk])
    body = {"received_on": "2025-06-01", "amount": "99999999.00"}

    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["fields"]["amount_fen"][0]["code"] == "exceeds_contract_amount"

    no_kind = client.post(
        url,
        {**body, "confirm_over_amount": True, "reason": "多付"},
        content_type="application/json",
    )
    assert no_kind.json()["fields"]["over_amount"][0]["code"] == "over_amount_kind_required"

    accepted = client.post(
        url,
        {**body, "confirm_over_amount": True, "over_amount": "overpayment", "reason": "多付"},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert accepted.json()["over_amount"] is True
    assert accepted.json()["received"] == "99999999.00"


def test_two_receipts_that_together_exceed_the_amount_are_caught_at_the_second(personas, contract):
    """Each fits the amount alone; the second sees the first (the service reads the total
    with the contract row locked, so racing requests are serialised the same way)."""
    _receipt(contract, personas.manager, amount_fen=AMOUNT // 2 + 1)
    with pytest.raises(ValidationError):
        _receipt(contract, personas.manager, amount_fen=AMOUNT // 2)


# ---------------------------------------------------------------- dates
def test_a_receipt_dated_before_signing_is_refused_everywhere(personas, contract):
    with pytest.raises(ValidationError) as caught:
        _receipt(contract, personas.manager, received_on=datetime.date(2025, 4, 30), amount_fen=100)
    assert _code(caught.value, "received_on") == "before_signing"
    assert "2025-05-01" in caught.value.messages[0]

    client = client_for(personas.manager)
    page = client.post(
        reverse("transfer:contract-receipt", args=[contract.pk]),
        {"r-received_on": "2025-04-30", "r-amount": "1.00"},
    )
    assert page.context["receipt_form"].errors.as_data()["received_on"][0].code == (
        "before_signing"
    )
    api = client.post(
        reverse("contract-receipts", args=[contract.pk]),
        {"received_on": "2025-04-30", "amount": "1.00"},
        content_type="application/json",
    )
    assert api.json()["fields"]["received_on"][0]["code"] == "before_signing"
    assert contract.receipts.count() == 0


def test_a_receipt_in_the_future_is_refused(personas, contract):
    later = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        _receipt(contract, personas.manager, received_on=later, amount_fen=100)
    assert _code(caught.value, "received_on") == "date_in_future"


# ---------------------------------------------------------------- yuan in, fen stored
def test_pages_take_yuan_with_two_decimals(personas, contract):
    client = client_for(personas.manager)
    client.post(
        reverse("transfer:contract-cost", args=[contract.pk]),
        {"c-incurred_on": "2025-06-02", "c-category": "agency", "c-amount": "1234.56"},
    )
    assert contract.costs.get().amount_fen == 123_456
    three = client.post(
        reverse("transfer:contract-receipt", args=[contract.pk]),
        {"r-received_on": "2025-06-01", "r-amount": "1.234"},
    )
    assert "amount" in three.context["receipt_form"].errors
    assert contract.receipts.count() == 0
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "1,234.56" in page and 'step="0.01"' in page


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("1.234", "max_decimal_places"),
        ("0", "min_value"),
        ("-5", "min_value"),
        ("abc", "invalid"),
        ("1e400", "max_value"),
        ("NaN", "invalid"),
        (True, "invalid"),
    ],
)
def test_the_api_refuses_amounts_that_are_not_yuan(personas, contract, amount, code):
    response = client_for(personas.manager).post(
        reverse("contract-costs", args=[contract.pk]),
        {"incurred_on": "2025-06-02", "category": "agency", "amount": amount},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["amount"][0]["code"] == code
    assert contract.costs.count() == 0


def test_the_api_takes_yuan_or_fen_but_not_two_different_amounts(personas, contract):
    client = client_for(personas.manager)
    url = reverse("contract-costs", args=[contract.pk])
    base = {"incurred_on": "2025-06-02", "category": "tax"}
    assert (
        client.post(url, {**base, "amount": "12.30"}, content_type="application/json").status_code
        == 201
    )
    assert (
        client.post(url, {**base, "amount_fen": 5}, content_type="application/json").status_code
        == 201
    )
    both = client.post(
        url, {**base, "amount": "1.00", "amount_fen": 5}, content_type="application/json"
    )
    assert both.json()["fields"]["amount"][0]["code"] == "ambiguous_amount"
    none = client.post(url, base, content_type="application/json")
    assert none.json()["fields"]["amount"][0]["code"] == "required"
    assert sorted(contract.costs.values_list("amount_fen", flat=True)) == [5, 1230]
    shown = client.get(reverse("contract-detail", args=[contract.pk])).json()
    assert shown["amount"] == "1200000.00" and shown["costs_fen"] == 1235
    assert [c["amount"] for c in shown["costs"]] == ["12.30", "0.05"]


def test_a_contract_is_recorded_through_the_api_in_yuan(personas):
    response = client_for(personas.institution_admin).post(
        reverse("contract-list"),
        {
            "title": "以元登记的合同",
            "kind": "licence",
            "institution": personas.university.pk,
            "amount": "1200000.50",
            "signed_on": "2025-06-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert Contract.objects.get(pk=response.json()["id"]).amount_fen == 120_000_050
    assert response.json()["amount"] == "1200000.50"
    missing = client_for(personas.institution_admin).post(
        reverse("contract-list"),
        {
            "title": "无金额",
            "kind": "licence",
            "institution": personas.university.pk,
            "signed_on": "2025-06-01",
        },
        content_type="application/json",
    )
    assert missing.json()["fields"]["amount"][0]["code"] == "required"


# ---------------------------------------------------------------- the data migration
def test_the_migration_flags_old_receipts_above_the_amount_and_keeps_every_row(personas, contract):
    # Rows as they were before the check (set-up straight in the table, as old data is).
    fits = Receipt.objects.create(
        contract=contract,
        received_on=datetime.date(2025, 6, 1),
        amount_fen=AMOUNT,
        recorded_at=None,
    )
    typo = Receipt.objects.create(
        contract=contract, received_on=datetime.date(2025, 6, 2), amount_fen=TYPO, recorded_at=None
    )
    cost = Cost.objects.create(
        contract=contract,
        incurred_on=datetime.date(2025, 6, 2),
        category="tax",
        amount_fen=100,
        recorded_at=None,
    )
    rows = Receipt.objects.count() + Cost.objects.count()
    migration = importlib.import_module("tmhub.transfer.migrations.0007_money_reversals")

    migration.forwards(apps, None)

    fits.refresh_from_db()
    typo.refresh_from_db()
    assert (fits.over_amount, typo.over_amount) == ("", "unconfirmed")
    assert Receipt.objects.count() + Cost.objects.count() == rows
    cost.refresh_from_db()
    assert cost.recorded_at is None  # no audit row: left empty, never invented
