"""Reward splits: draft under the rule in force, edit, approve (freeze) or cancel.

The computation is `tmhub.transfer.splits`; approval and cancellation are steps of
`SPLIT_WORKFLOW` (approval's effect freezes the split and its share rows).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.transfer import rewards_engine as engine
from tmhub.transfer import splits
from tmhub.transfer.choices import SplitStatus, TransferMode
from tmhub.transfer.models import RewardSplit
from tmhub.transfer.splits import default_mode_for, select_rule  # noqa: F401 (re-exported)
from tmhub.transfer.workflows import SPLIT_WORKFLOW


@transaction.atomic
def create_split(
    *,
    actor,
    institution,
    income_date,
    amount_fen,
    people,
    transfer_mode=None,
    shares: engine.Shares | None = None,
    contract=None,
    project=None,
    profit_year=None,
    notes="",
) -> RewardSplit:
    """Draft a split. Shares default to the rule's defaults; everything is validated now."""
    project = project or (contract.project if contract else None)
    split = RewardSplit(
        institution=institution,
        contract=contract,
        project=project,
        income_date=income_date,
        amount_fen=amount_fen,
        profit_year=profit_year,
        notes=notes,
        created_by=actor_user(actor),
    )
    if not policies.allows(actor, "create", split):
        raise field_error(
            "institution",
            _("You cannot split income for this institution."),
            "not_your_institution",
        )
    if contract is not None and contract.institution_id != institution.pk:
        raise field_error(
            "contract", _("The contract belongs to another institution."), "foreign_contract"
        )
    split.transfer_mode = transfer_mode or default_mode_for(contract) or TransferMode.LICENCE
    errors = engine.validate_amount(amount_fen)
    if errors:
        raise ValidationError({"amount_fen": errors})
    rule = select_rule(institution.pk, split.transfer_mode, income_date)
    split.rule = rule
    splits.check_profit_year(split, rule)
    splits.compute_into(split, rule, people, shares)
    splits.check_against_income(split)
    split.full_clean(exclude=["rule_snapshot"])
    split.save()
    splits.save_allocations(split, actor=actor)
    record_change(actor=actor, obj=split, action=ObjectChange.Action.CREATE, before=None)
    return split


def _locked_draft(split) -> RewardSplit:
    seen = split.status
    split = (
        RewardSplit.objects.select_for_update(of=("self",))
        .select_related("rule", "contract")
        .get(pk=split.pk)
    )
    if split.is_frozen:
        # Approved or cancelled by someone else since the caller read it: a lost race (409).
        ensure_unchanged(seen, split.status)
        raise ValidationError(
            _("This split is approved and frozen; it cannot change."), code="frozen"
        )
    return split


@transaction.atomic
def update_split(split, *, actor, people=None, shares=None, **values) -> RewardSplit:
    """Change a draft split; the rule is chosen again for the (possibly new) income date."""
    policies.require(actor, "change", split)
    split = _locked_draft(split)
    before = snapshot(split)
    for key in ("income_date", "amount_fen", "transfer_mode", "profit_year", "notes"):
        if key in values:
            setattr(split, key, values[key])
    errors = engine.validate_amount(split.amount_fen)
    if errors:
        raise ValidationError({"amount_fen": errors})
    rule = select_rule(split.institution_id, split.transfer_mode, split.income_date)
    if shares is None:
        shares = engine.Shares(split.team_share, split.office_share, split.institution_share)
    splits.check_profit_year(split, rule)
    splits.compute_into(
        split, rule, people if people is not None else splits.current_people(split), shares
    )
    splits.check_against_income(split, exclude_pk=split.pk)
    split.full_clean(exclude=["rule_snapshot"])
    split.save()
    splits.save_allocations(split, actor=actor)
    record_change(actor=actor, obj=split, action=ObjectChange.Action.UPDATE, before=before)
    return split


@transaction.atomic
def approve_split(split, *, actor) -> RewardSplit:
    """The institution approves: re-validated against the rule in force, numbered, frozen;
    the people it rewards are told."""
    split = _step(split, SplitStatus.APPROVED, actor=actor)
    notify(
        [a.user for a in split.allocations.select_related("user") if a.user],
        kind="transfer.reward_split", about=split,
        subject=gettext_lazy("Reward statement %(number)s approved"),
        params={"number": split.number}, url=split.get_absolute_url(),
    )
    return split


@transaction.atomic
def cancel_split(split, *, actor, reason: str) -> RewardSplit:
    """Discard a draft split (approved splits are frozen and stay as they are). Only those who
    may change it: its institution's administrators and the project's active managers."""
    policies.require(actor, "cancel", split)
    split = _step(split, SplitStatus.CANCELLED, actor=actor, reason=reason)
    notify(
        users_with_role(Role.INSTITUTION_ADMIN, organization=split.institution),
        kind="transfer.reward_split", about=split,
        subject=gettext_lazy("A draft reward split was cancelled"),
        body=reason,
        url=split.get_absolute_url(),
    )
    return split


def _step(split, target: str, *, actor, reason: str = "") -> RewardSplit:
    """One step of SPLIT_WORKFLOW on the locked draft, with the split's before/after change."""
    split = _locked_draft(split)
    before = snapshot(split)
    SPLIT_WORKFLOW.transition(split, target, actor=actor, reason=reason, locked=True)
    record_change(actor=actor, obj=split, action=ObjectChange.Action.UPDATE, before=before)
    return split
