"""Extension points other apps append to (the matching index, for one).

Services call every handler with the record id after the transaction commits, whenever an
achievement or demand is created, edited, published, withdrawn or closed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

ACHIEVEMENT_CHANGED: list[Callable[[int], None]] = []
DEMAND_CHANGED: list[Callable[[int], None]] = []


def emit_on_commit(handlers: list[Callable[[int], None]], record_id: int) -> None:
    """Run each handler with `record_id` once the surrounding transaction commits."""
    for handler in list(handlers):
        transaction.on_commit(lambda h=handler: h(record_id))
