"""Every write to contracts, their payment schedule, receipts and deductible costs.

Parties, scheduled payments, receipts and costs are recorded with their contract
(`related=contract`), so the contract's history shows every money movement in one place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.sequences import next_value
from tmhub.transfer.choices import Currency, PartyRole
from tmhub.transfer.models import Contract, ContractParty, Cost, Installment, Receipt
from tmhub.transfer.models.contracts import CONFIRMABLE_OVER_AMOUNT
from tmhub.transfer.rewards_engine import format_fen

CONTRACT_FIELDS = [
    "title",
    "kind",
    "amount_fen",
    "currency",
    "signed_on",
    "term_start",
    "term_end",
    "registration_number",
    "registered_on",
    "notes",
]


def _validate(contract) -> None:
    if contract.registration_number == "":
        contract.registration_number = None
    contract.full_clean()
    errors = {}
    if contract.term_start and contract.term_end and contract.term_end < contract.term_start:
        errors["term_end"] = _("The term ends before it starts.")
    if contract.registered_on and contract.registered_on < contract.signed_on:
        errors["registered_on"] = _("A contract is registered after it is signed.")
    if contract.project_id and contract.project.institution_id != contract.institution_id:
        errors["project"] = _("The project belongs to another institution.")
    if errors:
        raise ValidationError(errors, code="invalid_dates")


def _set_parties(contract, parties, *, actor) -> None:
    """Replace the parties; each row's change is recorded with the contract."""
    seen = set()
    for organization, role in parties:
        if organization is None or organization.pk is None:
            raise field_error(
                "parties", _("Choose an organisation for every party."), "party_organization"
            )
        if role not in PartyRole.values:
            raise field_error(
                "parties",
                _("A party's role must be one of: %(roles)s.")
                % {"roles": ", ".join(str(label) for label in PartyRole.labels)},
                "invalid_party_role",
            )
        if organization.pk in seen:
            raise field_error("parties", _("An organisation is listed twice."), "duplicate_party")
        seen.add(organization.pk)
    for old in contract.parties.all():
        record_change(
            actor=actor,
            obj=old,
            action=ObjectChange.Action.DELETE,
            before=snapshot(old),
            related=contract,
        )
    contract.parties.all().delete()
    for organization, role in parties:
        party = ContractParty.objects.create(
            contract=contract, organization=organization, role=role
        )
        record_change(
            actor=actor, obj=party, action=ObjectChange.Action.CREATE, before=None, related=contract
        )


@transaction.atomic
def create_contract(
    *, actor, institution, project=None, parties=(), installments=(), **values
) -> Contract:
    """Record a signed technology contract with its parties and payment schedule (who may:
    `ContractPolicy.can_create`, which also says why not)."""
    contract = Contract(
        institution=institution,
        project=project,
        created_by=actor_user(actor),
        **{k: v for k, v in values.items() if k in CONTRACT_FIELDS},
    )
    if not policies.allows(actor, "create", contract):
        raise policies.policy_for(Contract).create_refusal(get_scope(actor), contract)
    signed = contract.signed_on or timezone.localdate()
    contract.number = f"HT-{signed.year}-{next_value('transfer-contract'):05d}"
    _validate(contract)
    contract.save()
    _set_parties(contract, parties, actor=actor)
    for due_on, amount_fen, description in installments:
        _add_installment(contract, due_on, amount_fen, description, actor=actor)
    record_change(actor=actor, obj=contract, action=ObjectChange.Action.CREATE, before=None)
    return contract


@transaction.atomic
def update_contract(contract, *, actor, parties=None, **values) -> Contract:
    policies.require(actor, "change", contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    before = snapshot(contract)
    for key, value in values.items():
        if key in CONTRACT_FIELDS:
            setattr(contract, key, value)
    _validate(contract)
    contract.save()
    if parties is not None:
        _set_parties(contract, parties, actor=actor)
    record_change(actor=actor, obj=contract, action=ObjectChange.Action.UPDATE, before=before)
    return contract


def _add_installment(contract, due_on, amount_fen, description="", *, actor,
                     is_royalty=False) -> Installment:
    installment = Installment(
        contract=contract, due_on=due_on, amount_fen=amount_fen, description=description,
        is_royalty=is_royalty,
    )
    installment.full_clean()
    installment.save()
    record_change(
        actor=actor,
        obj=installment,
        action=ObjectChange.Action.CREATE,
        before=None,
        related=contract,
    )
    return installment


@transaction.atomic
def add_installment(contract, *, actor, due_on, amount_fen, description="",
                    is_royalty=False) -> Installment:
    """Add a planned payment; ``is_royalty`` for a reported running royalty (My work's
    royalty reports), which the receipts may exceed the contract amount by."""
    policies.require(actor, "change", contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    return _add_installment(contract, due_on, amount_fen, description, actor=actor,
                            is_royalty=is_royalty)


def _check_amount(amount_fen) -> None:
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen < 1:
        raise field_error("amount_fen", _("Enter an amount above zero."), "min_value")


def _check_over_amount(contract, amount_fen, confirm, kind, reason) -> str:
    """The over-amount flag of a new receipt ("" when within the contract amount).

    A receipt that takes the total received above a renminbi contract's amount is refused
    unless confirmed as an overpayment or an amendment, with a reason. Contracts in other
    currencies are not compared: their receipts are renminbi and no rate is recorded."""
    if contract.currency != Currency.CNY:
        return ""
    received = contract.received_fen()
    # Running royalties the licensee reported are owed on top of the amount registered.
    expected = contract.amount_fen + (contract.installments.filter(is_royalty=True).aggregate(
        total=Sum("amount_fen"))["total"] or 0)
    if received + amount_fen <= expected:
        return ""
    if not confirm:
        raise field_error(
            "amount_fen",
            _(
                "This receipt takes the total received to %(total)s yuan, above the contract "
                "amount of %(amount)s yuan. If that is right, confirm it as an overpayment or "
                "a contract amendment and say why."
            )
            % {
                "total": format_fen(received + amount_fen),
                "amount": format_fen(expected),
            },
            "exceeds_contract_amount",
        )
    if kind not in CONFIRMABLE_OVER_AMOUNT:
        raise field_error(
            "over_amount",
            _("Say whether the money above the contract amount is an overpayment or an amendment."),
            "over_amount_kind_required",
        )
    if not reason:
        raise field_error(
            "reason",
            _("Say why the total received may exceed the contract amount."),
            "over_amount_reason_required",
        )
    return kind


@transaction.atomic
def record_receipt(
    contract,
    *,
    actor,
    received_on,
    amount_fen,
    note="",
    confirm_over_amount=False,
    over_amount="",
    reason="",
) -> Receipt:
    """Record money received (CNY fen); it feeds net income, rewards and annual filings.

    Refused: a date before the contract's signing or in the future (`validate_happened_date`:
    after tomorrow, the platform's one day of slack); an amount that takes the
    total received above the contract amount, unless `confirm_over_amount` with the kind
    (`OverAmount.OVERPAYMENT` / `AMENDMENT`) and a `reason` — such a receipt is flagged."""
    policies.require(actor, "change", contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_amount(amount_fen)
    if received_on < contract.signed_on:
        raise field_error(
            "received_on",
            _("Money is received after signing: this contract was signed on %(date)s.")
            % {"date": contract.signed_on.isoformat()},
            "before_signing",
        )
    reason = (reason or "").strip()
    flag = _check_over_amount(contract, amount_fen, confirm_over_amount, over_amount, reason)
    receipt = Receipt(
        contract=contract,
        received_on=received_on,
        amount_fen=amount_fen,
        note=note,
        recorded_by=actor_user(actor),
        over_amount=flag,
        reason=reason if flag else "",
    )
    receipt.full_clean()
    receipt.save()
    record_change(
        actor=actor, obj=receipt, action=ObjectChange.Action.CREATE, before=None, related=contract
    )
    return receipt


@transaction.atomic
def record_cost(contract, *, actor, incurred_on, category, amount_fen, note="") -> Cost:
    """Record a deductible cost (valuation, IP, agency fees, taxes) against the income."""
    policies.require(actor, "change", contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    _check_amount(amount_fen)
    cost = Cost(
        contract=contract,
        incurred_on=incurred_on,
        category=category,
        amount_fen=amount_fen,
        note=note,
        recorded_by=actor_user(actor),
    )
    cost.full_clean()
    cost.save()
    record_change(
        actor=actor, obj=cost, action=ObjectChange.Action.CREATE, before=None, related=contract
    )
    return cost


def _reverse(entry, *, actor, reason, extra):
    """The reversing entry of `entry` (a Receipt or a Cost): opposite amount, same date."""
    model = type(entry)
    contract = entry.contract
    policies.require(actor, "view", contract)
    if not policies.allows(actor, "correct_money", contract):
        raise ValidationError(
            _("Only the institution's administrators correct recorded money."),
            code="correction_forbidden",
        )
    Contract.objects.select_for_update().get(pk=contract.pk)
    entry = model.objects.select_for_update().get(pk=entry.pk)
    if entry.is_reversal:
        raise ValidationError(
            _("This entry is itself a reversal; record a new entry instead."),
            code="cannot_reverse_reversal",
        )
    if model.objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."), code="already_reversed")
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the entry is reversed."), "reason_required")
    reversal = model(
        contract=contract,
        amount_fen=-entry.amount_fen,
        note=entry.note,
        recorded_by=actor_user(actor),
        reverses=entry,
        reason=reason,
        **extra(entry),
    )
    reversal.full_clean()
    reversal.save()
    record_change(
        actor=actor, obj=reversal, action=ObjectChange.Action.CREATE, before=None, related=contract
    )
    return reversal


@transaction.atomic
def reverse_receipt(receipt, *, actor, reason) -> Receipt:
    """Correct a receipt by a reversing entry (who, when, why); the original stays visible
    and the total received, net income and every figure built on them drop by its amount.
    An original is reversed once; the right amount is then recorded as a new receipt."""
    return _reverse(
        receipt, actor=actor, reason=reason, extra=lambda r: {"received_on": r.received_on}
    )


@transaction.atomic
def reverse_cost(cost, *, actor, reason) -> Cost:
    """Correct a deductible cost by a reversing entry (who, when, why); see `reverse_receipt`."""
    return _reverse(
        cost,
        actor=actor,
        reason=reason,
        extra=lambda c: {"incurred_on": c.incurred_on, "category": c.category},
    )
