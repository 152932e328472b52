"""Reward splits: choose the rule in force, validate, compute in fen, approve and freeze."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.access import CHANGE, get_scope, require_can
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.sequences import next_value
from tmhub.transfer import rewards_engine as engine
from tmhub.transfer.choices import CONTRACT_KIND_MODE, RewardBasis, SplitStatus, TransferMode
from tmhub.transfer.choices import TransferEvent as E
from tmhub.transfer.models import RewardRule, RewardSplit, SplitAllocation
from tmhub.transfer.services.common import field_error, institution_admins, is_institution_admin


def rules_in_force(institution_id, transfer_mode: str, on_date: datetime.date):
    """Active rules for the mode on `on_date`, most specific first, then the most recent."""
    return (
        RewardRule.objects.filter(
            Q(institution_id=institution_id) | Q(institution__isnull=True),
            transfer_mode=transfer_mode,
            is_active=True,
            effective_from__lte=on_date,
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on_date))
        .order_by("-level", "-effective_from", "-id")
    )


def select_rule(institution_id, transfer_mode: str, on_date: datetime.date) -> RewardRule:
    """The rule in force on the income date: institution > Beijing > national fallback."""
    rule = rules_in_force(institution_id, transfer_mode, on_date).first()
    if rule is None:
        raise field_error(
            "transfer_mode",
            _(
                "No reward rule for “%(mode)s” is in force on %(date)s. Ask an "
                "administrator to add one (or record an agreed rule for the "
                "institution)."
            )
            % {"mode": TransferMode(transfer_mode).label, "date": on_date.isoformat()},
            "no_rule",
        )
    return rule


def default_mode_for(contract) -> str:
    return CONTRACT_KIND_MODE.get(contract.kind, TransferMode.OTHER) if contract else ""


def _people(people) -> list[engine.Person]:
    result = []
    for p in people:
        if isinstance(p, engine.Person):
            result.append(p)
        else:
            user = p.get("user")
            result.append(
                engine.Person(
                    name=(p.get("name") or "").strip(),
                    contribution=p.get("contribution"),
                    user_id=getattr(user, "pk", user),
                )
            )
    return result


def _check_against_income(split, exclude_pk=None) -> None:
    """Net-income splits of one contract never exceed the contract's net income to date."""
    contract = split.contract
    if contract is None or split.rule.basis != RewardBasis.NET_INCOME:
        return
    others = contract.splits.exclude(status=SplitStatus.CANCELLED)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    already = others.aggregate(total=Sum("amount_fen"))["total"] or 0
    available = contract.net_income_fen(until=split.income_date)
    if already + split.amount_fen > available:
        raise field_error(
            "amount_fen",
            _(
                "The contract's net income up to %(date)s is %(available)s yuan, of "
                "which %(already)s yuan are already split."
            )
            % {
                "date": split.income_date.isoformat(),
                "available": engine.format_fen(available),
                "already": engine.format_fen(already),
            },
            "exceeds_net_income",
        )


def _check_profit_year(split, rule) -> None:
    if rule.basis != RewardBasis.OPERATING_PROFIT:
        split.profit_year = None
        return
    if not split.profit_year or (rule.max_years and split.profit_year > rule.max_years):
        raise field_error(
            "profit_year",
            _("For operating-profit rewards give the year after launch (1 to %(max)s).")
            % {"max": rule.max_years or 5},
            "profit_year",
        )


def _compute_into(split, rule, people, shares) -> list[engine.Person]:
    """Validate against `rule` and write the shares and fen amounts onto `split`."""
    people = _people(people)
    if shares is None:
        shares = engine.Shares(
            rule.default_team_share, rule.default_office_share, rule.default_institution_share
        )
    engine.validate(
        split.amount_fen,
        shares,
        people,
        min_team_share=rule.min_team_share,
        legal_basis=rule.legal_basis,
    )
    result = engine.compute(split.amount_fen, shares, people)
    split.rule = rule
    split.rule_snapshot = rule.snapshot()
    split.team_share, split.office_share, split.institution_share = (
        Decimal(str(shares.team)),
        Decimal(str(shares.office)),
        Decimal(str(shares.institution)),
    )
    split.team_fen, split.office_fen = result.team_fen, result.office_fen
    split.institution_fen = result.institution_fen
    split._allocations = list(zip(people, result.allocations, strict=True))
    return people


def _save_allocations(split) -> None:
    split.allocations.all().delete()
    SplitAllocation.objects.bulk_create(
        [
            SplitAllocation(
                split=split,
                name=person.name,
                user_id=person.user_id,
                contribution=Decimal(str(person.contribution)),
                amount_fen=amount,
                position=n,
            )
            for n, (person, amount) in enumerate(split._allocations)
        ]
    )


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
    scope = get_scope(actor)
    if not (
        scope.is_municipal
        or is_institution_admin(scope, institution.pk)
        or (
            project is not None
            and project.assignments.filter(user_id=scope.user_id, released_on__isnull=True).exists()
        )
    ):
        raise field_error(
            "institution",
            _("You cannot split income for this institution."),
            "not_your_institution",
        )
    if contract is not None and contract.institution_id != institution.pk:
        raise field_error(
            "contract", _("The contract belongs to another institution."), "foreign_contract"
        )
    transfer_mode = transfer_mode or default_mode_for(contract) or TransferMode.LICENCE
    errors = engine.validate_amount(amount_fen)
    if errors:
        raise ValidationError({"amount_fen": errors})
    rule = select_rule(institution.pk, transfer_mode, income_date)
    split = RewardSplit(
        institution=institution,
        contract=contract,
        project=project,
        transfer_mode=transfer_mode,
        income_date=income_date,
        amount_fen=amount_fen,
        profit_year=profit_year,
        notes=notes,
        created_by=actor,
        rule=rule,
    )
    _check_profit_year(split, rule)
    _compute_into(split, rule, people, shares)
    _check_against_income(split)
    split.full_clean(exclude=["rule_snapshot"])
    split.save()
    _save_allocations(split)
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


def _current_people(split) -> list[engine.Person]:
    return [engine.Person(a.name, a.contribution, a.user_id) for a in split.allocations.all()]


@transaction.atomic
def update_split(split, *, actor, people=None, shares=None, **values) -> RewardSplit:
    """Change a draft split; the rule is chosen again for the (possibly new) income date."""
    require_can(actor, split, CHANGE)
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
    _check_profit_year(split, rule)
    _compute_into(split, rule, people if people is not None else _current_people(split), shares)
    _check_against_income(split, exclude_pk=split.pk)
    split.full_clean(exclude=["rule_snapshot"])
    split.save()
    _save_allocations(split)
    record_change(actor=actor, obj=split, action=ObjectChange.Action.UPDATE, before=before)
    return split


@transaction.atomic
def approve_split(split, *, actor) -> RewardSplit:
    """The institution approves: re-validated against the rule in force, numbered, frozen."""
    split = _locked_draft(split)
    scope = get_scope(actor)
    if not is_institution_admin(scope, split.institution_id):
        raise ValidationError(
            _("Only the institution's administrators approve reward splits."),
            code="transition_forbidden",
        )
    before = snapshot(split)
    rule = select_rule(split.institution_id, split.transfer_mode, split.income_date)
    _check_profit_year(split, rule)
    _compute_into(
        split,
        rule,
        _current_people(split),
        engine.Shares(split.team_share, split.office_share, split.institution_share),
    )
    _check_against_income(split, exclude_pk=split.pk)
    split.status = SplitStatus.APPROVED
    split.approved_by = actor
    split.approved_at = timezone.now()
    split.number = f"JL-{split.income_date.year}-{next_value('transfer-reward'):05d}"
    split.save()
    _save_allocations(split)
    record_change(actor=actor, obj=split, action=ObjectChange.Action.UPDATE, before=before)
    record_event(
        actor=actor,
        obj=split,
        event_type=E.SPLIT_APPROVED,
        from_state=SplitStatus.DRAFT,
        to_state=SplitStatus.APPROVED,
        data={"rule": rule.pk, "amount_fen": split.amount_fen},
    )
    recipients = [a.user for a in split.allocations.select_related("user") if a.user]
    notify(
        recipients,
        subject=_("Reward statement %(number)s approved") % {"number": split.number},
        url=split.get_absolute_url(),
    )
    return split


@transaction.atomic
def cancel_split(split, *, actor, reason: str) -> RewardSplit:
    """Discard a draft split (approved splits are frozen and stay as they are). Only those who
    may change it: its institution's administrators and the project's active managers."""
    require_can(actor, split, CHANGE)
    split = _locked_draft(split)
    if not (reason or "").strip():
        raise field_error("reason", _("A reason is required for this step."), "reason_required")
    before = snapshot(split)
    split.status = SplitStatus.CANCELLED
    split.save()
    record_change(actor=actor, obj=split, action=ObjectChange.Action.UPDATE, before=before)
    record_event(
        actor=actor,
        obj=split,
        event_type=E.SPLIT_CANCELLED,
        from_state=SplitStatus.DRAFT,
        to_state=SplitStatus.CANCELLED,
        reason=reason,
    )
    notify(
        institution_admins(split.institution),
        subject=_("A draft reward split was cancelled"),
        body=reason,
        url=split.get_absolute_url(),
    )
    return split
