"""Title services: the eligibility check over the rules in force (SPEC §6, issue 16)."""

from __future__ import annotations

import datetime

from django.db.models import Q

from tmhub.evaluation.choices import DEGREE_TO_EDUCATION, EDUCATION_RANK, NO_TITLE
from tmhub.evaluation.models import (
    EligibilityRule,
    PerformanceCondition,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
)
from tmhub.evaluation.title_eligibility import Applicant, Performance, Route, Verdict, evaluate


def _latest_per_code(rows):
    """Rows in force come latest start first: keep the first row of each code."""
    seen, kept = set(), []
    for row in rows:
        if row.code not in seen:
            seen.add(row.code)
            kept.append(row)
    return kept


def routes_in_force(level: TitleLevel, on: datetime.date | None = None) -> list[EligibilityRule]:
    rows = EligibilityRule.objects.in_force(on, level=level).select_related("required_title")
    # As the official text lists them: by education from the highest down, the shorter wait
    # first, the routes through a title held after those through years of work.
    return sorted(_latest_per_code(rows), key=lambda r: (
        r.required_title_id is not None, -EDUCATION_RANK[r.min_education],
        r.min_years_in_title if r.required_title_id else r.min_years_since_education, r.code))


def performance_in_force(level: TitleLevel, direction: TitleDirection | None,
                         on: datetime.date | None = None) -> list[PerformanceCondition]:
    rows = PerformanceCondition.objects.in_force(on, level=level)
    if direction is not None:
        rows = rows.filter(Q(direction__isnull=True) | Q(direction=direction))
    return sorted(_latest_per_code(rows.select_related("direction")), key=lambda r: r.code)


def procedure_in_force(on: datetime.date | None = None) -> TitleProcedureRule | None:
    return TitleProcedureRule.objects.in_force(on).first()


def check_eligibility(*, level: TitleLevel, direction: TitleDirection | None, education: str,
                      years_since_education: int, current_title: TitleLevel | None,
                      years_in_current_title: int,
                      on: datetime.date | None = None, second_person: bool = True) -> Verdict:
    """The explained verdict for one applicant on the rules in force on `on` (today); worded
    for the applicant ("you"), or with `second_person` False for those who read the
    application ("applicant")."""
    routes = [Route(
        code=r.code, min_education=r.min_education,
        min_years_since_education=r.min_years_since_education,
        required_title_rank=r.required_title.rank if r.required_title else None,
        required_title_name=r.required_title.name if r.required_title else "",
        min_years_in_title=r.min_years_in_title, confirmed=r.confirmed,
    ) for r in routes_in_force(level, on)]
    performance = [Performance(p.code, p.text, p.confirmed)
                   for p in performance_in_force(level, direction, on)]
    return evaluate(routes, performance, Applicant(
        education=education, years_since_education=years_since_education,
        current_title_rank=current_title.rank if current_title else None,
        current_title_name=current_title.name if current_title else "",
        years_in_current_title=years_in_current_title if current_title else 0,
    ), second_person=second_person)


def level_by_code(code: str) -> TitleLevel | None:
    if code == NO_TITLE:
        return None
    return TitleLevel.objects.filter(code=code).first()


def profile_initial(user) -> dict:
    """The eligibility form's starting values from the user's manager profile (education and
    title as recorded; the years are not recorded, the applicant gives them)."""
    profile = getattr(user, "manager_profile", None) if user.is_authenticated else None
    if profile is None:
        return {}
    initial = {"current_title": profile.professional_title or NO_TITLE}
    education = DEGREE_TO_EDUCATION.get(profile.degree)
    if education:
        initial["education"] = education
    return initial
