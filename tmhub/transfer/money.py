"""Reading a contract's money after corrections: what an approved reward split was frozen on,
and whether that has changed since.

Receipts and costs are append-only (`tmhub.transfer.models.contracts.MoneyEntry`): a
correction is a reversing entry, dated like the original and recorded later. An approved split
keeps its frozen amounts; when the money it was split from changes afterwards (a receipt or a
cost up to the split's income date recorded or reversed after the approval), the split shows
"net income changed since approval" (read-only) instead of changing by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from tmhub.transfer.choices import SplitStatus


@dataclass(frozen=True)
class IncomeChange:
    """The contract's net income up to a split's income date, then and now (fen)."""

    at_approval_fen: int
    now_fen: int
    entries: tuple  # receipts and costs (up to the income date) recorded after the approval

    @property
    def difference_fen(self) -> int:
        return self.now_fen - self.at_approval_fen


def income_change_since(split) -> IncomeChange | None:
    """How the net income an approved split was frozen on has changed since its approval;
    None when the split is not approved, has no contract, or nothing changed."""
    if split.status != SplitStatus.APPROVED or not split.contract_id or not split.approved_at:
        return None
    contract, until, approved_at = split.contract, split.income_date, split.approved_at
    later = Q(recorded_at__gt=approved_at)
    entries = (
        *contract.receipts.filter(later, received_on__lte=until).select_related("reverses"),
        *contract.costs.filter(later, incurred_on__lte=until).select_related("reverses"),
    )
    if not entries:
        return None
    then = contract.net_income_fen(until=until, known_at=approved_at)
    now = contract.net_income_fen(until=until)
    if then == now:
        return None
    return IncomeChange(then, now, tuple(sorted(entries, key=lambda e: e.recorded_at)))


def net_income_changed_since(split) -> bool:
    """True when the net income an approved split was frozen on differs now (read-only flag:
    the split itself never changes)."""
    return income_change_since(split) is not None
