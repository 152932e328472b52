"""Gap-tolerant, never-reused numbers for registries and certificates."""

from django.db import transaction

from tmhub.core.models import Sequence


@transaction.atomic
def next_value(name: str) -> int:
    """Return the next value of the named sequence; safe under concurrent callers.

    The row is locked with select_for_update, so two transactions never get the same value;
    a rolled-back caller leaves a gap rather than a reusable number.
    """
    Sequence.objects.get_or_create(name=name)
    sequence = Sequence.objects.select_for_update().get(name=name)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return sequence.value
