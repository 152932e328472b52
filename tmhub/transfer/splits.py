"""A reward split under the rule in force: choose the rule, compute in fen, check the income.

The services (drafting and editing a split) and the split workflow (approval freezes it) both
compute through here, so a draft and its approval apply the same rule the same way. The
arithmetic itself is `tmhub.transfer.rewards_engine` (pure integers); this module ties it to
the rule tables, the contract's income and the stored share rows.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.sequences import next_value
from tmhub.transfer import rewards_engine as engine
from tmhub.transfer.choices import CONTRACT_KIND_MODE, RewardBasis, SplitStatus, TransferMode
from tmhub.transfer.models import RewardRule, SplitAllocation


def rules_in_force(institution_id, transfer_mode: str, on_date: datetime.date):
    """Active rules for the mode on `on_date`, most specific level first, then the latest."""
    return (
        RewardRule.objects.in_force(on_date, transfer_mode=transfer_mode, is_active=True)
        .filter(Q(institution_id=institution_id) | Q(institution__isnull=True))
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


def people_of(people) -> list[engine.Person]:
    """Recipients as the engine takes them, from Person objects or form/API dicts."""
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


def current_people(split) -> list[engine.Person]:
    return [engine.Person(a.name, a.contribution, a.user_id) for a in split.allocations.all()]


def already_split_fen(contract, exclude_pk=None) -> int:
    """What the contract's splits (drafts and approved, not cancelled) already distribute."""
    others = contract.splits.exclude(status=SplitStatus.CANCELLED)
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.aggregate(total=Sum("amount_fen"))["total"] or 0


def available_fen(contract, until=None) -> int:
    """Net income of the contract (to `until`) not yet given to a split."""
    return contract.net_income_fen(until=until) - already_split_fen(contract)


def check_against_income(split, exclude_pk=None) -> None:
    """Net-income splits of one contract never exceed the contract's net income to date."""
    contract = split.contract
    if contract is None or split.rule.basis != RewardBasis.NET_INCOME:
        return
    already = already_split_fen(contract, exclude_pk)
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


def check_profit_year(split, rule) -> None:
    """Operating-profit rewards name the year after launch, within the rule's years."""
    if rule.basis != RewardBasis.OPERATING_PROFIT:
        split.profit_year = None
        return
    if split.profit_year and not (rule.max_years and split.profit_year > rule.max_years):
        return
    if rule.max_years:
        message = _("For operating-profit rewards give the year after launch (1 to %(max)s).") % {
            "max": rule.max_years
        }
    else:
        message = _("For operating-profit rewards give the year after launch.")
    raise field_error("profit_year", message, "profit_year")


def compute_into(split, rule, people, shares) -> list[engine.Person]:
    """Validate against `rule` and write the shares and fen amounts onto `split` (the share
    rows are written by `save_allocations`)."""
    people = people_of(people)
    if shares is None:
        shares = engine.Shares(
            rule.default_team_share, rule.default_office_share, rule.default_institution_share
        )
    engine.validate(
        split.amount_fen,
        shares,
        people,
        min_team_share=rule.min_team_share,
        legal_basis=rule.legal_basis_text,  # in the UI language
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


def save_allocations(split, *, actor) -> None:
    """Replace the split's share rows by the computed ones; each row's change is recorded
    with the split (`related`), so the split's history shows its shares."""
    for old in split.allocations.all():
        record_change(
            actor=actor,
            obj=old,
            action=ObjectChange.Action.DELETE,
            before=snapshot(old),
            related=split,
        )
    split.allocations.all().delete()
    for n, (person, amount) in enumerate(split._allocations):
        row = SplitAllocation.objects.create(
            split=split,
            name=person.name,
            user_id=person.user_id,
            contribution=Decimal(str(person.contribution)),
            amount_fen=amount,
            position=n,
        )
        record_change(
            actor=actor, obj=row, action=ObjectChange.Action.CREATE, before=None, related=split
        )


def freeze(step) -> None:
    """Approval's effect: re-validate under the rule in force, number the statement and freeze
    the amounts and share rows (the rule as applied is kept in `rule_snapshot`)."""
    split = step.obj
    rule = select_rule(split.institution_id, split.transfer_mode, split.income_date)
    check_profit_year(split, rule)
    rows = list(split.allocations.all())
    compute_into(
        split,
        rule,
        [engine.Person(a.name, a.contribution, a.user_id) for a in rows],
        engine.Shares(split.team_share, split.office_share, split.institution_share),
    )
    check_against_income(split, exclude_pk=split.pk)
    split.approved_by = actor_user(step.actor)
    split.approved_at = timezone.now()
    split.number = f"JL-{split.income_date.year}-{next_value('transfer-reward'):05d}"
    # The same people with the amounts of the rule in force: rows keep their identity, and
    # each frozen row is recorded with the split.
    for row, (_person, amount) in zip(rows, split._allocations, strict=True):
        before = snapshot(row)
        row.amount_fen = amount
        row.save(update_fields=["amount_fen"])
        record_change(
            actor=step.actor,
            obj=row,
            action=ObjectChange.Action.UPDATE,
            before=before,
            related=split,
        )
    step.data.update({"rule": rule.pk, "amount_fen": split.amount_fen})


@dataclass
class ApprovalPreview:
    """What approving a draft would freeze, computed as `freeze` does but saved nowhere: the
    rule in force today for the income date, the shares and amounts in fen, each person's
    amount, and the contract's net income; `problems` say why the approval would be refused."""

    split: object  # a copy of the draft carrying the amounts approval would freeze
    rule: object = None
    allocations: list = field(default_factory=list)  # (name, contribution, amount_fen)
    net_income_fen: int | None = None  # the contract's net income up to the income date
    already_split_fen: int = 0  # by the contract's other splits (drafts and approved)
    problems: list = field(default_factory=list)

    @property
    def rule_changed(self) -> bool:
        """The rule in force is not the one the draft was computed with."""
        return self.rule is not None and self.rule.pk != self.split.rule_id_at_draft


def approval_preview(split) -> ApprovalPreview:
    draft = copy.copy(split)
    draft.rule_id_at_draft = split.rule_id
    preview = ApprovalPreview(split=draft)
    if split.contract_id:
        preview.net_income_fen = split.contract.net_income_fen(until=split.income_date)
        preview.already_split_fen = already_split_fen(split.contract, exclude_pk=split.pk)
    rows = list(split.allocations.all())
    try:
        preview.rule = select_rule(split.institution_id, split.transfer_mode, split.income_date)
        check_profit_year(draft, preview.rule)
        compute_into(
            draft,
            preview.rule,
            [engine.Person(a.name, a.contribution, a.user_id) for a in rows],
            engine.Shares(split.team_share, split.office_share, split.institution_share),
        )
        check_against_income(draft, exclude_pk=split.pk)
    except ValidationError as exc:
        preview.problems = exc.messages
        preview.allocations = [(a.name, a.contribution, a.amount_fen) for a in rows]
        return preview
    preview.allocations = [
        (person.name, person.contribution, amount) for person, amount in draft._allocations
    ]
    return preview
