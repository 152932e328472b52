"""Every write to contracts, their payment schedule, receipts and deductible costs."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.core.access import CHANGE, get_scope, require_can
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.sequences import next_value
from tmhub.transfer.choices import PartyRole
from tmhub.transfer.models import Contract, ContractParty, Cost, Installment, Receipt
from tmhub.transfer.services.common import field_error, is_institution_admin, require_act_for

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


def _set_parties(contract, parties) -> None:
    seen = set()
    for organization, role in parties:
        if organization is None or organization.pk is None:
            raise field_error("parties", _("Choose an organisation for every party."),
                              "party_organization")
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
    contract.parties.all().delete()
    ContractParty.objects.bulk_create(
        [ContractParty(contract=contract, organization=o, role=r) for o, r in parties]
    )


def _require_may_record(actor, institution, project) -> None:
    """The institution's administrators record any of its contracts; a manager records one
    only for a project they work on, so they can see (and follow) what they recorded."""
    scope = get_scope(actor)
    if scope.is_municipal or is_institution_admin(scope, institution.pk):
        return
    if project is None:
        raise field_error(
            "project",
            _("A contract without a project is recorded by the institution's administrators; "
              "choose a project you work on."),
            "project_required",
        )
    if not project.assignments.filter(user_id=scope.user_id, released_on__isnull=True).exists():
        raise field_error(
            "project", _("You can record contracts only for projects you work on."),
            "not_on_project",
        )


@transaction.atomic
def create_contract(
    *, actor, institution, project=None, parties=(), installments=(), **values
) -> Contract:
    """Record a signed technology contract with its parties and payment schedule."""
    require_act_for(actor, institution, field="institution")
    _require_may_record(actor, institution, project)
    contract = Contract(
        institution=institution,
        project=project,
        created_by=actor,
        **{k: v for k, v in values.items() if k in CONTRACT_FIELDS},
    )
    signed = contract.signed_on or datetime.date.today()
    contract.number = f"HT-{signed.year}-{next_value('transfer-contract'):05d}"
    _validate(contract)
    contract.save()
    _set_parties(contract, parties)
    for due_on, amount_fen, description in installments:
        _add_installment(contract, due_on, amount_fen, description)
    record_change(actor=actor, obj=contract, action=ObjectChange.Action.CREATE, before=None)
    return contract


@transaction.atomic
def update_contract(contract, *, actor, parties=None, **values) -> Contract:
    require_can(actor, contract, CHANGE)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    before = snapshot(contract)
    for key, value in values.items():
        if key in CONTRACT_FIELDS:
            setattr(contract, key, value)
    _validate(contract)
    contract.save()
    if parties is not None:
        _set_parties(contract, parties)
    record_change(actor=actor, obj=contract, action=ObjectChange.Action.UPDATE, before=before)
    return contract


def _add_installment(contract, due_on, amount_fen, description="") -> Installment:
    installment = Installment(
        contract=contract, due_on=due_on, amount_fen=amount_fen, description=description
    )
    installment.full_clean()
    installment.save()
    return installment


@transaction.atomic
def add_installment(contract, *, actor, due_on, amount_fen, description="") -> Installment:
    require_can(actor, contract, CHANGE)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    installment = _add_installment(contract, due_on, amount_fen, description)
    record_change(actor=actor, obj=installment, action=ObjectChange.Action.CREATE, before=None)
    return installment


@transaction.atomic
def record_receipt(contract, *, actor, received_on, amount_fen, note="") -> Receipt:
    """Record money received (CNY fen); it feeds net income, rewards and annual filings."""
    require_can(actor, contract, CHANGE)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if received_on < contract.signed_on:
        raise field_error("received_on", _("Money is received after signing."), "before_signing")
    receipt = Receipt(
        contract=contract,
        received_on=received_on,
        amount_fen=amount_fen,
        note=note,
        recorded_by=actor,
    )
    receipt.full_clean()
    receipt.save()
    record_change(actor=actor, obj=receipt, action=ObjectChange.Action.CREATE, before=None)
    return receipt


@transaction.atomic
def record_cost(contract, *, actor, incurred_on, category, amount_fen, note="") -> Cost:
    """Record a deductible cost (valuation, IP, agency fees, taxes) against the income."""
    require_can(actor, contract, CHANGE)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    cost = Cost(
        contract=contract,
        incurred_on=incurred_on,
        category=category,
        amount_fen=amount_fen,
        note=note,
        recorded_by=actor,
    )
    cost.full_clean()
    cost.save()
    record_change(actor=actor, obj=cost, action=ObjectChange.Action.CREATE, before=None)
    return cost
