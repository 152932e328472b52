"""The vote of a panel on one application, read against the procedure rule in force: a quorum
of members present and a threshold of votes for, each a fraction of the panel (as data,
`TitleProcedureRule`). Pure arithmetic on integers: no rounding of fractions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class Outcome:
    quorum_met: bool
    passed: bool
    needed_present: int  # the fewest members present that make the quorum
    needed_for: int  # the fewest votes for that pass


def _ceil_fraction(total: int, numerator: int, denominator: int) -> int:
    """The least whole n with n / total >= numerator / denominator."""
    return -(-total * numerator // denominator)


def tally(*, panel_size: int, present: int, votes_for: int, quorum: tuple[int, int],
          threshold: tuple[int, int]) -> Outcome:
    """Quorum: present ≥ quorum × panel members. Threshold: votes for ≥ threshold × members
    present (two thirds of those present is the common rule)."""
    needed_present = _ceil_fraction(panel_size, *quorum)
    needed_for = max(1, _ceil_fraction(present, *threshold))
    quorum_met = panel_size > 0 and present >= needed_present
    return Outcome(quorum_met=quorum_met, passed=quorum_met and votes_for >= needed_for,
                   needed_present=needed_present, needed_for=needed_for)


def outcome(application, rule) -> Outcome:
    return tally(panel_size=application.panel_size or 0,
                 present=application.members_present or 0,
                 votes_for=application.votes_for or 0,
                 quorum=(rule.quorum_numerator, rule.quorum_denominator),
                 threshold=(rule.threshold_numerator, rule.threshold_denominator))


# ---------------------------------------------------------------- weighted scoring
@dataclass(frozen=True)
class Scored:
    """One reviewer's score on one criterion: `score` of `max_score`, counting `weight`."""

    score: int
    max_score: int
    weight: int


def weighted_score(items) -> Decimal:
    """A reviewer's total out of 100: each score as a fraction of its maximum, weighted, over
    the sum of the weights; exact fractions, rounded half up to two decimals once at the end."""
    items = list(items)
    weights = sum(item.weight for item in items)
    if not items or weights <= 0:
        raise ValueError("no weighted criterion")
    for item in items:
        if not 0 <= item.score <= item.max_score or item.max_score <= 0 or item.weight < 0:
            raise ValueError("score out of range")
    total = sum((Fraction(item.score, item.max_score) * item.weight for item in items),
                Fraction(0)) * 100 / weights
    return _two_places(total)


def average(totals) -> Decimal | None:
    """The mean of reviewers' totals (two decimals, half up), None without any."""
    totals = [Fraction(Decimal(t)) for t in totals]
    if not totals:
        return None
    return _two_places(sum(totals, Fraction(0)) / len(totals))


def _two_places(value: Fraction) -> Decimal:
    """Exact half-up rounding of a non-negative fraction to hundredths."""
    cents = (value * 100 + Fraction(1, 2)).__floor__()
    return Decimal(cents).scaleb(-2).quantize(Decimal("0.01"))
