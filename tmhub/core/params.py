"""Whole numbers from query strings and forms, parsed without surprises.

`str.isdigit()` accepts "²" and "١٢", which `int()` then rejects (a 500), and a 30-digit id
passes both; `positive_int` takes only ASCII digits and only what a database column can hold.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,18}")  # below 2**63: fits every integer column


def positive_int(value, default=None, *, maximum: int | None = None):
    """`value` as an int ≥ 1 (at most `maximum`, else clamped to it), or `default`."""
    text = str(value).strip() if value is not None else ""
    if not _DIGITS.fullmatch(text):
        return default
    number = int(text)
    if number < 1:
        return default
    return min(number, maximum) if maximum is not None else number
