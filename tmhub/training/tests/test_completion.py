"""Completion rules: the pure verdict, property by property, and rules as dated data."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmhub.training.choices import Level, Module
from tmhub.training.completion import Outcome, Progress, Requirement, evaluate, rule_for
from tmhub.training.models import CompletionRule, CompletionRuleModule

MODULES = list(Module.values)
hours = st.decimals(min_value=0, max_value=200, places=1, allow_nan=False,
                    allow_infinity=False)
requirements = st.builds(
    Requirement,
    total_hours=hours,
    module_hours=st.dictionaries(st.sampled_from(MODULES), hours),
    requires_assessments_passed=st.booleans(),
)
scores = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1))
outcomes = st.lists(st.builds(Outcome, title=st.text(min_size=1, max_size=5),
                              pass_score=st.decimals(min_value=0, max_value=100, places=1),
                              score=scores, required=st.booleans()), max_size=4)
progresses = st.builds(Progress, hours_by_module=st.dictionaries(st.sampled_from(MODULES), hours),
                       outcomes=outcomes.map(tuple))
# The properties are under test, not the speed of a shared machine (no per-example deadline).
unhurried = settings(deadline=None)


@unhurried
@given(requirements, progresses)
def test_complete_exactly_when_every_condition_holds(requirement, progress):
    verdict = evaluate(requirement, progress)
    hours_ok = progress.total_hours >= requirement.total_hours and all(
        progress.hours_by_module.get(m, 0) >= h for m, h in requirement.module_hours.items())
    exams_ok = not requirement.requires_assessments_passed or all(
        o.passed for o in progress.outcomes if o.required)
    assert verdict.complete == (hours_ok and exams_ok)


@unhurried
@given(requirements, progresses, st.sampled_from(MODULES), hours)
def test_more_hours_never_undo_completion(requirement, progress, module, extra):
    before = evaluate(requirement, progress)
    more = dict(progress.hours_by_module)
    more[module] = more.get(module, Decimal(0)) + extra
    after = evaluate(requirement, Progress(more, progress.outcomes))
    assert not before.complete or after.complete
    assert after.missing_total <= before.missing_total


@unhurried
@given(requirements)
def test_meeting_the_minimums_exactly_completes(requirement):
    module_hours = dict(requirement.module_hours)
    shortfall = requirement.total_hours - sum(module_hours.values(), Decimal(0))
    if shortfall > 0:
        module_hours[Module.PRACTICE] = module_hours.get(Module.PRACTICE, Decimal(0)) + shortfall
    assert evaluate(requirement, Progress(module_hours)).complete


@unhurried
@given(requirements, progresses)
def test_missing_hours_are_what_is_lacking(requirement, progress):
    verdict = evaluate(requirement, progress)
    for module, missing in verdict.missing_by_module.items():
        assert missing > 0
        assert progress.hours_by_module.get(module, 0) + missing == requirement.module_hours[module]
    assert verdict.missing_total == max(requirement.total_hours - progress.total_hours, 0)


def test_an_unsat_or_failed_required_assessment_blocks_completion():
    requirement = Requirement(Decimal(10), {}, True)
    enough = {Module.PRACTICE: Decimal(10)}
    pending = evaluate(requirement, Progress(enough, (Outcome("exam", Decimal(60), None),)))
    failed = evaluate(requirement, Progress(enough, (Outcome("exam", Decimal(60), Decimal(59)),)))
    optional = evaluate(requirement, Progress(enough, (
        Outcome("quiz", Decimal(60), Decimal(10), required=False),)))
    assert (pending.complete, pending.pending) == (False, ("exam",))
    assert (failed.complete, failed.failed) == (False, ("exam",))
    assert optional.complete


@pytest.mark.django_db
def test_seeded_rules_follow_the_syllabus():
    junior = rule_for(Level.JUNIOR, datetime.date(2025, 1, 1))
    assert junior.required_total_hours == 48
    assert sum(junior.module_minimums().values()) <= junior.required_total_hours
    assert "国科火字〔2020〕69号" in junior.legal_basis
    for level in Level.values:
        assert rule_for(level, datetime.date(2025, 1, 1)) is not None


@pytest.mark.django_db
def test_the_rule_in_force_on_the_date_applies():
    # Given a stricter junior rule from 2026
    old = rule_for(Level.JUNIOR, datetime.date(2025, 6, 1))
    new = CompletionRule.objects.create(level=Level.JUNIOR, required_total_hours=64,
                                        effective_from=datetime.date(2026, 1, 1),
                                        legal_basis="新大纲")
    CompletionRuleModule.objects.create(rule=new, module=Module.PRACTICE, min_hours=30)
    # Then each date gets its own rule
    assert rule_for(Level.JUNIOR, datetime.date(2025, 12, 31)) == old
    assert rule_for(Level.JUNIOR, datetime.date(2026, 1, 1)) == new
    assert rule_for(Level.JUNIOR, datetime.date(2019, 1, 1)) is None
