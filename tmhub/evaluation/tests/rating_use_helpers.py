"""Records for the tests of the use of rating results (issue 17 item 4), made through the
services: two registered managers of two universities (both universities registered
institutions, each with an administrator), three rounds rating managers and institutions —
2025 (published), 2026 (published: the latest) and a later one computed but not published.

The manager persona's figures differ per round so a test can tell which rating it reads:
2025: 40% × 50 = 20.00; 2026: a licence of 10,000 yuan signed in March (deals 60 points,
value 100) and a review score of 80: 60% × 80 + 40% × 80 = 80.00 (中级); the unpublished
round: the same records with a review score of 95 = 86.00."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from conftest import PASSWORD
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.evaluation.models import Rating, RatingRound
from tmhub.evaluation.services import ratings as services
from tmhub.evaluation.tests.rating_helpers import registered_manager, small_system, template

CUT_2025 = datetime.date(2025, 11, 30)
CUT_2026 = datetime.date(2026, 11, 30)
CUT_LATER = datetime.date(2026, 12, 3)


@dataclass
class RatedWorld:
    city: object
    manager: object
    other_manager: object
    other_admin: object
    round_2025: RatingRound
    round_2026: RatingRound
    round_unpublished: RatingRound

    def rating(self, round_, user) -> Rating:
        return Rating.objects.get(round=round_, manager=user)

    def institution_rating(self, round_, org) -> Rating:
        return Rating.objects.get(round=round_, institution=org)


def _registered_institution(org, admin, city):
    from tmhub.orgs import services as orgs
    from tmhub.orgs.choices import RegistrationStatus
    from tmhub.orgs.models import InstitutionRegistration

    registration = orgs.create_registration(
        actor=admin, organization=org, premises_address="北京市海淀区测试路1号",
        fulltime_staff=8, has_written_rules=True, business_scope="技术转移")
    orgs.transition_registration(registration, RegistrationStatus.SUBMITTED, actor=admin)
    registration = orgs.transition_registration(registration, RegistrationStatus.APPROVED,
                                                actor=city)
    # registered before every round's cut-off (approval is dated today)
    InstitutionRegistration.objects.filter(pk=registration.pk).update(
        decided_at=datetime.datetime(2025, 1, 5, 10, tzinfo=datetime.UTC))
    return registration


def _person(username, role, org):
    user = create_user(actor=SYSTEM, username=username, password=PASSWORD,
                       email=f"{username}@example.cn", display_name=username)
    grant_membership(actor=SYSTEM, user=user, role=role, organization=org)
    return user


def _licence(personas, manager):
    from tmhub.transfer import services as transfer
    from tmhub.transfer.choices import ContractKind, PartyRole

    project = transfer.create_project(actor=personas.institution_admin,
                                      institution=personas.university, title="许可项目",
                                      lead=manager)
    transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title="专利许可合同", kind=ContractKind.LICENCE, amount_fen=1_000_000,
        signed_on=datetime.date(2026, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])


def run_round(personas, system, name, start, end, scores: dict, *, publish=True):
    """A round of managers (`system`) and institutions (the seeded template), reviewers'
    scores {user: score} entered, computed, published unless `publish` is False."""
    city = personas.municipal_admin
    round_ = services.create_round(actor=city, name=name, period_start=start, period_end=end,
                                   manager_system=system,
                                   institution_system=template("institution"))
    services.assign_reviewer(round_, actor=city, indicator=system.indicators.get(code="expert"),
                             reviewer=personas.reviewer)
    round_ = services.step_round(round_, "open", actor=city)
    for review in round_.reviews.filter(indicator__code="expert"):
        if review.manager in scores:
            services.enter_score(review, actor=personas.reviewer, score=scores[review.manager])
    services.step_round(round_, "computing", actor=city)
    services.run_computation(round_.pk)
    round_ = RatingRound.objects.get(pk=round_.pk)
    if publish:
        round_ = services.step_round(round_, "published", actor=city)
    return round_


def rated_world(personas) -> RatedWorld:
    from tmhub.talent.models import ManagerProfile
    from tmhub.talent.tests.helpers import make_profile

    city = personas.municipal_admin
    system = small_system(city, code="use-system")
    manager = registered_manager(personas, on=datetime.date(2025, 1, 10))
    ManagerProfile.objects.filter(user=manager).update(full_name="王测试")
    other_admin = _person("p_other_tto", Role.INSTITUTION_ADMIN, personas.other_university)
    other_manager = _person("p_other_mgr", Role.MANAGER, personas.other_university)
    make_profile(other_manager, employer=personas.other_university,
                 district=personas.chaoyang, name="李另一")
    from tmhub.talent.tests.helpers import register

    register(other_manager.manager_profile, employer_admin=other_admin, municipal=city)
    ManagerProfile.objects.filter(user=other_manager).update(
        registered_at=datetime.datetime(2025, 1, 10, 10, tzinfo=datetime.UTC))
    _registered_institution(personas.university, personas.institution_admin, city)
    _registered_institution(personas.other_university, other_admin, city)
    _licence(personas, manager)
    r2025 = run_round(personas, system, "2025年度评价", datetime.date(2025, 1, 1), CUT_2025,
                      {manager: 50, other_manager: 70})
    r2026 = run_round(personas, system, "2026年度评价", datetime.date(2026, 1, 1), CUT_2026,
                      {manager: 80, other_manager: 60})
    later = run_round(personas, system, "2026年末补评", datetime.date(2026, 1, 1), CUT_LATER,
                      {manager: 95, other_manager: 90}, publish=False)
    return RatedWorld(city=city, manager=manager, other_manager=other_manager,
                      other_admin=other_admin, round_2025=r2025, round_2026=r2026,
                      round_unpublished=later)
