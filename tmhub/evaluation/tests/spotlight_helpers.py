"""Records for the spotlight and nomination tests (issue 17 item 6), made through the
services as people would make them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from conftest import PASSWORD
from tmhub.accounts.models import User
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department
from tmhub.core.roles import Role
from tmhub.evaluation.models import Rating, RatingRound
from tmhub.evaluation.services import nominations, ratings, spotlight
from tmhub.evaluation.tests.rating_helpers import (
    CUTOFF,
    START,
    registered_manager,
    small_system,
)


def person(username, role, **scope):
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = create_user(actor=SYSTEM, username=username, password=PASSWORD,
                       email=f"{username}@example.cn", display_name=username)
    grant_membership(actor=SYSTEM, user=user, role=role, **scope)
    return user


def second_city(username="p_municipal2"):
    """Another municipal administrator: the second person who approves."""
    return person(username, Role.MUNICIPAL_ADMIN)


def talent_officer(username="p_talent"):
    """An officer of the 市人才工作局 (department officer, department talent)."""
    return person(username, Role.DEPARTMENT_OFFICER, department=Department.TALENT)


def round_with_rating(personas, *, publish=True, code="spot-system",
                      name="2026年度评价") -> tuple[RatingRound, Rating]:
    """A round over the small system with the manager persona rated; published unless told."""
    city = personas.municipal_admin
    registered_manager(personas)
    system = small_system(city, code=code)
    round_ = ratings.create_round(actor=city, name=name, period_start=START, period_end=CUTOFF,
                                  manager_system=system)
    ratings.step_round(round_, "open", actor=city)
    ratings.step_round(round_, "computing", actor=city)
    ratings.run_computation(round_.pk)
    round_ = RatingRound.objects.get(pk=round_.pk)
    if publish:
        round_ = ratings.step_round(round_, "published", actor=city)
    return round_, Rating.objects.get(round=round_, manager=personas.manager)


def published_entry(personas, rating, *, approver=None):
    """An entry drafted by the city persona, consented, approved by a second city user."""
    city = personas.municipal_admin
    entry = spotlight.draft_entry(actor=city, rating=rating, citation_zh="推动多项专利许可落地。",
                                  citation_en="Brought several patent licences to market.")
    spotlight.record_consent(entry, actor=city, given_on=timezone.localdate(),
                             note="本人签署同意书。")
    spotlight.step_entry(entry, "pending", actor=city)
    return spotlight.step_entry(entry, "published", actor=approver or second_city())


def programme(actor, *, opens=-10, closes=20, name="演示人才计划（演示数据）"):
    today = timezone.localdate()
    return nominations.create_programme(
        actor=actor, name_zh=name, name_en="Demo talent programme (demo data)",
        issuer="演示发布单位", year=today.year, description="测试用。",
        opens_on=today + datetime.timedelta(days=opens),
        closes_on=today + datetime.timedelta(days=closes))
