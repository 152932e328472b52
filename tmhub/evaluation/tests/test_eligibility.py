"""The eligibility function: pure properties over any rules and applicants (hypothesis), and
the seeded figures of SPEC §6 read through the service."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tmhub.evaluation.choices import EDUCATION_RANK, Education
from tmhub.evaluation.models import EligibilityRule, TitleDirection, TitleLevel
from tmhub.evaluation.services.titles import check_eligibility
from tmhub.evaluation.title_eligibility import Applicant, Performance, Route, evaluate

EDUCATIONS = Education.values
routes_st = st.lists(st.builds(
    Route,
    code=st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    min_education=st.sampled_from(EDUCATIONS),
    min_years_since_education=st.integers(0, 10),
    required_title_rank=st.one_of(st.none(), st.integers(1, 3)),
    required_title_name=st.just("工程师"),
    min_years_in_title=st.integers(0, 10),
    confirmed=st.booleans(),
), max_size=6)
applicant_st = st.builds(
    Applicant,
    education=st.sampled_from(EDUCATIONS),
    years_since_education=st.integers(0, 40),
    current_title_rank=st.one_of(st.none(), st.integers(1, 4)),
    current_title_name=st.just("助理工程师"),
    years_in_current_title=st.integers(0, 40),
)


def _with(applicant, **changes):
    return Applicant(**{**applicant.__dict__, **changes})


@settings(deadline=None)  # the machine is shared: timing is not what is tested
@given(routes_st, applicant_st, st.integers(0, 10), st.integers(0, 10))
def test_given_any_rules_when_the_years_grow_then_the_verdict_never_worsens(
        routes, applicant, more_years, more_title_years):
    """Given any routes and applicant, when either count of years grows, then an eligible
    applicant stays eligible (monotone in years)."""
    before = evaluate(routes, [], applicant).eligible
    after = evaluate(routes, [], _with(
        applicant, years_since_education=applicant.years_since_education + more_years,
        years_in_current_title=applicant.years_in_current_title + more_title_years)).eligible
    assert after >= before


@settings(deadline=None)  # the machine is shared: timing is not what is tested
@given(routes_st, applicant_st, st.sampled_from(EDUCATIONS))
def test_given_any_rules_when_the_education_is_higher_then_the_verdict_is_never_worse(
        routes, applicant, other):
    """Given any routes, when the same applicant had a higher education, then the verdict is
    never worse."""
    higher = other if EDUCATION_RANK[other] >= EDUCATION_RANK[applicant.education] \
        else applicant.education
    assert evaluate(routes, [], _with(applicant, education=higher)).eligible >= \
        evaluate(routes, [], applicant).eligible


@settings(deadline=None)  # the machine is shared: timing is not what is tested
@given(routes_st, applicant_st)
def test_given_any_rules_then_the_verdict_is_one_route_met_and_every_route_is_explained(
        routes, applicant):
    """Given any routes, then the answer lists each route once with its own verdict, and is
    eligible exactly when one of them is met; performance conditions are left to reviewers."""
    verdict = evaluate(routes, [Performance("p", "成果转化推广能力")], applicant)
    route_conditions = verdict.conditions[:len(routes)]
    assert [c.code for c in route_conditions] == [r.code for r in routes]
    assert verdict.eligible == any(c.met for c in route_conditions)
    assert verdict.conditions[-1].met is None
    assert all(c.explanation for c in verdict.conditions)


def test_given_no_route_then_no_one_is_eligible_and_the_answer_says_why():
    verdict = evaluate([], [], Applicant(Education.DOCTORATE, 30, 4, "", 30))
    assert not verdict.eligible
    assert [c.code for c in verdict.conditions] == ["no_rule_in_force"]


@pytest.fixture
def levels(db):
    return {level.code: level for level in TitleLevel.objects.all()}


def _check(levels, level, education, years, title=None, title_years=0, on=None):
    return check_eligibility(
        level=levels[level], direction=TitleDirection.objects.get(code="operation"),
        education=education, years_since_education=years,
        current_title=levels[title] if title else None, years_in_current_title=title_years,
        on=on)


@pytest.mark.parametrize(("level", "education", "years", "title", "title_years", "eligible"), [
    ("assistant_engineer", "master", 0, None, 0, True),
    ("assistant_engineer", "bachelor", 0, None, 0, False),
    ("assistant_engineer", "bachelor", 1, None, 0, True),
    ("assistant_engineer", "junior_college", 2, None, 0, False),
    ("assistant_engineer", "junior_college", 3, None, 0, True),
    ("assistant_engineer", "secondary_vocational", 4, None, 0, False),
    ("assistant_engineer", "secondary_vocational", 5, None, 0, True),
    ("engineer", "doctorate", 0, None, 0, True),
    ("engineer", "master", 1, None, 0, False),
    ("engineer", "master", 2, None, 0, True),
    ("engineer", "bachelor", 4, None, 0, False),
    ("engineer", "bachelor", 5, None, 0, True),
    ("engineer", "junior_college", 7, None, 0, True),
    ("engineer", "junior_college", 3, "assistant_engineer", 3, False),
    ("engineer", "junior_college", 3, "assistant_engineer", 4, True),
    ("engineer", "secondary_vocational", 20, "assistant_engineer", 10, False),
    ("senior_engineer", "doctorate", 5, "engineer", 2, True),
    ("senior_engineer", "master", 9, "engineer", 4, False),
    ("senior_engineer", "master", 9, "engineer", 5, True),
    ("senior_engineer", "junior_college", 20, "engineer", 10, False),
    ("professor_engineer", "bachelor", 20, "senior_engineer", 4, False),
    ("professor_engineer", "bachelor", 20, "senior_engineer", 5, True),
])
def test_given_the_seeded_figures_of_spec_6_then_each_threshold_falls_where_spec_says(
        levels, level, education, years, title, title_years, eligible):
    """Given the seeded rules, when an applicant sits just below or at a threshold of SPEC §6,
    then the verdict changes exactly there."""
    assert _check(levels, level, education, years, title, title_years).eligible is eligible


def test_given_an_unconfirmed_figure_then_its_explanation_says_it_awaits_the_bureau(levels):
    with translation.override("zh-hans"):
        senior = _check(levels, "senior_engineer", "doctorate", 5, "engineer", 2)
        engineer = _check(levels, "engineer", "bachelor", 5)
    assert all("待市人社局确认" in c.explanation for c in senior.conditions)
    assert not any("待市人社局确认" in c.explanation for c in engineer.conditions)
    # the flag follows its sentence as Chinese does, with no space after the 。
    assert all("）。该条件数值待市人社局确认。" in c.explanation for c in senior.conditions
               if c.met is not None)
    with translation.override("en"):
        senior = _check(levels, "senior_engineer", "doctorate", 5, "engineer", 2)
    assert all(c.explanation.endswith(
        "). This figure is to be confirmed by the Beijing human resources bureau.")
        for c in senior.conditions if c.met is not None)
    assert not EligibilityRule.objects.get(code="bachelor_engineer_5y").confirmed


def test_given_the_engineer_level_then_its_performance_route_is_listed_for_reviewers(levels):
    verdict = _check(levels, "engineer", "bachelor", 5)
    performance = [c for c in verdict.conditions if c.code == "transfer_service_capacity"]
    assert performance and performance[0].met is None
    assert verdict.eligible


def test_given_a_rule_ended_then_it_no_longer_counts_from_the_day_after(levels):
    """Given a route ended by an administrator, then the check on a later date ignores it."""
    rule = EligibilityRule.objects.get(code="bachelor_1y")
    rule.effective_to = datetime.date(2026, 6, 30)
    rule.save()
    assert _check(levels, "assistant_engineer", "bachelor", 1,
                  on=datetime.date(2026, 6, 30)).eligible
    assert not _check(levels, "assistant_engineer", "bachelor", 1,
                      on=datetime.date(2026, 7, 1)).eligible
