"""Figures that pre-fill the annual filing, contributed by other apps without imports.

The transfer and training apps call `register_filing_source` in their AppConfig.ready():

    register_filing_source("training_hours", _("Training hours"), hours_for_user)

`func(user, year)` returns a number (int, or Decimal; income in fen). The filing form shows one
pre-filled figure per registered source; the filer confirms or corrects it. A source that fails
is logged and left blank, so one broken module cannot block everybody's filing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FilingSource:
    key: str
    label: object  # a (lazy) translatable label
    func: Callable


_SOURCES: dict[str, FilingSource] = {}


def register_filing_source(key: str, label, func: Callable) -> FilingSource:
    """Register (or replace) the source of one pre-filled figure."""
    source = FilingSource(key=key, label=label, func=func)
    _SOURCES[key] = source
    return source


def unregister_filing_source(key: str) -> None:
    _SOURCES.pop(key, None)


def filing_sources() -> list[FilingSource]:
    return list(_SOURCES.values())


def source_label(key: str):
    source = _SOURCES.get(key)
    return source.label if source else key


def to_json_number(value):
    """JSON-safe number: ints stay ints, Decimals become strings, anything else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, float):
        # Floats are not money; sources should not return them, but counts may arrive as 3.0.
        return int(value) if value.is_integer() else str(Decimal(str(value)))
    return None


def compute_prefill(users, year: int) -> dict:
    """{key: number} summed over `users` (one manager, or an institution's managers)."""
    figures: dict = {}
    for source in filing_sources():
        total = Decimal(0)
        failed = False
        for user in users:
            try:
                value = source.func(user, year)
            except Exception:  # noqa: BLE001 - a broken source must not block filing
                logger.exception("filing source %s failed", source.key)
                failed = True
                break
            total += Decimal(str(value or 0))
        figures[source.key] = None if failed else to_json_number(total)
    return figures
