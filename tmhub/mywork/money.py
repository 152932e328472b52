"""Amounts in fen shown in yuan."""

from decimal import Decimal


def yuan(fen) -> str:
    return f"{Decimal(int(fen or 0)) / 100:,.2f}"
