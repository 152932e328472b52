"""The vote of a panel on one application, read against the procedure rule in force: a quorum
of members present and a threshold of votes for, each a fraction of the panel (as data,
`TitleProcedureRule`). Pure arithmetic on integers: no rounding of fractions."""

from __future__ import annotations

from dataclasses import dataclass


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
