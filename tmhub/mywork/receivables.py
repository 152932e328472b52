"""What a contract's payers still owe: receipts cleared against the payment schedule, oldest
instalment first, and the ageing of what is overdue.

The receipts of a contract (reversals included, so every correction counts) pay its
instalments in the order they fall due: a receipt clears the oldest open instalment, a
partial one leaves that instalment open with its balance, and whatever is over pays the next.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import VIEW

# Ageing buckets of the overdue balance, in days past the due date (upper bound included).
BUCKETS = (
    ("current", _("Not yet due"), None),
    ("d30", _("1–30 days overdue"), 30),
    ("d90", _("31–90 days overdue"), 90),
    ("d180", _("91–180 days overdue"), 180),
    ("older", _("More than 180 days overdue"), 10**6),
)


@dataclass(frozen=True)
class Line:
    installment: object
    paid_fen: int
    balance_fen: int

    @property
    def due_on(self) -> datetime.date:
        return self.installment.due_on

    @property
    def amount_fen(self) -> int:
        return self.installment.amount_fen

    @property
    def cleared(self) -> bool:
        return self.balance_fen == 0

    @property
    def partial(self) -> bool:
        return 0 < self.paid_fen < self.amount_fen

    def overdue(self, today) -> bool:
        return self.balance_fen > 0 and self.due_on < today

    def days_overdue(self, today) -> int:
        return max((today - self.due_on).days, 0) if self.balance_fen else 0


def lines(contract, received_fen: int | None = None) -> list[Line]:
    """The contract's instalments with what the receipts paid of each."""
    left = contract.received_fen() if received_fen is None else received_fen
    result = []
    for installment in contract.installments.order_by("due_on", "pk"):
        paid = max(min(left, installment.amount_fen), 0)
        left -= paid
        result.append(Line(installment, paid, installment.amount_fen - paid))
    return result


def contracts(scope, organization=None):
    """Contracts with a payment schedule that ``scope`` may read (the contract's policy)."""
    from tmhub.core.work_items import restrict
    from tmhub.transfer.models import Contract, Installment

    rows = Contract.objects.filter(
        Exists(Installment.objects.filter(contract=OuterRef("pk")))).select_related(
        "institution")
    if organization is not None:
        rows = rows.filter(institution=organization)
    return restrict(rows, scope, VIEW)


def open_lines(scope, organization=None):
    """(contract, line) for every instalment with a balance, oldest first."""
    from tmhub.transfer.models import Receipt

    rows = list(contracts(scope, organization))
    received = dict(Receipt.objects.filter(contract__in=[c.pk for c in rows]).values(
        "contract").annotate(total=Sum("amount_fen")).values_list("contract", "total"))
    found = []
    for contract in rows:
        for line in lines(contract, received.get(contract.pk, 0)):
            if line.balance_fen:
                found.append((contract, line))
    return sorted(found, key=lambda row: (row[1].due_on, row[0].pk))


def bucket_of(line, today) -> str:
    days = line.days_overdue(today)
    if not line.overdue(today):
        return "current"
    for code, _label, upper in BUCKETS[1:]:
        if days <= upper:
            return code
    return "older"


def ageing(rows, today):
    """Per institution: the open balance in each bucket and in total (fen)."""
    table: dict[int, dict] = {}
    for contract, line in rows:
        row = table.setdefault(contract.institution_id, {
            "institution": contract.institution, "total": 0,
            **{code: 0 for code, _l, _u in BUCKETS}})
        row[bucket_of(line, today)] += line.balance_fen
        row["total"] += line.balance_fen
    return sorted(table.values(), key=lambda row: -row["total"])
