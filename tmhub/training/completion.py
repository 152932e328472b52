"""Completion computed from the rules, never typed: a pure function and its data loaders.

`evaluate(requirement, progress)` decides whether a trainee has completed a level from the
rule in force (total and per-module class hours, assessments) and the trainee's credited
hours and scores. It touches no database, so it is tested property by property.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from tmhub.training.choices import CREDITED_ATTENDANCE, Module

ZERO = Decimal("0")


@dataclass(frozen=True)
class Requirement:
    """A completion rule as plain values."""

    total_hours: Decimal
    module_hours: dict[str, Decimal] = field(default_factory=dict)
    requires_assessments_passed: bool = True

    @classmethod
    def from_rule(cls, rule) -> Requirement:
        return cls(
            total_hours=rule.required_total_hours,
            module_hours={m: Decimal(h) for m, h in rule.module_minimums().items()},
            requires_assessments_passed=rule.requires_assessments_passed,
        )


@dataclass(frozen=True)
class Outcome:
    """One required-or-not assessment: the pass mark and the score (None: not taken yet)."""

    title: str
    pass_score: Decimal
    score: Decimal | None
    required: bool = True

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.pass_score


@dataclass(frozen=True)
class Progress:
    hours_by_module: dict[str, Decimal] = field(default_factory=dict)
    outcomes: tuple[Outcome, ...] = ()

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours_by_module.values(), ZERO)


@dataclass(frozen=True)
class Verdict:
    complete: bool
    total_hours: Decimal
    missing_total: Decimal
    missing_by_module: dict[str, Decimal]
    failed: tuple[str, ...]
    pending: tuple[str, ...]


def evaluate(requirement: Requirement, progress: Progress) -> Verdict:
    """Complete when the total and every module minimum are met and, if the rule says so,
    every required assessment has a passing score."""
    total = progress.total_hours
    missing_by_module = {}
    for module, minimum in requirement.module_hours.items():
        have = progress.hours_by_module.get(module, ZERO)
        if have < minimum:
            missing_by_module[module] = minimum - have
    missing_total = max(requirement.total_hours - total, ZERO)
    failed, pending = [], []
    if requirement.requires_assessments_passed:
        for outcome in progress.outcomes:
            if not outcome.required or outcome.passed:
                continue
            (pending if outcome.score is None else failed).append(outcome.title)
    complete = not missing_by_module and missing_total == ZERO and not failed and not pending
    return Verdict(complete, total, missing_total, missing_by_module, tuple(failed),
                   tuple(pending))


def load_progress(enrolment) -> Progress:
    """The enrolment's credited hours per module and its assessment outcomes."""
    from tmhub.training.models import AssessmentResult, Attendance

    hours: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = (
        Attendance.objects.filter(enrolment=enrolment, status__in=CREDITED_ATTENDANCE)
        .values("session__course__module")
        .annotate(total=Sum("hours"))
    )
    for row in rows:
        hours[row["session__course__module"]] += row["total"] or ZERO
    scores = dict(
        AssessmentResult.objects.filter(enrolment=enrolment).values_list("assessment_id", "score")
    )
    outcomes = tuple(
        Outcome(a.title, a.pass_score, scores.get(a.pk), a.is_required)
        for a in enrolment.cohort.assessments.all()
    )
    return Progress(hours_by_module={m: hours[m] for m in Module.values if m in hours},
                    outcomes=outcomes)


def rule_for(level: str, on_date):
    """The completion rule for `level` in force on `on_date` (None when there is none)."""
    from tmhub.training.models import CompletionRule

    return (
        CompletionRule.objects.in_force(on_date, level=level).prefetch_related("modules").first()
    )


def verdict_for(enrolment) -> Verdict | None:
    """The verdict for an enrolment in a level cohort, or None when no rule applies."""
    cohort = enrolment.cohort
    rule = cohort.completion_rule or (
        rule_for(cohort.programme.level, cohort.start_date) if cohort.programme.level else None
    )
    if rule is None:
        return None
    return evaluate(Requirement.from_rule(rule), load_progress(enrolment))
