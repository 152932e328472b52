"""Who evaluates (issue 17 item 6a). Given a social training and evaluation organisation, when
the city has accredited it, then its staff run a round whose publication the city approves and
which the city may suspend; without an accreditation in force they cannot. Given a
university's administrator, an internal round rates only the university's own registered
managers, for an appointment or a performance review, and its results stay with the
university and the city."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core import policies
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.roles import Role
from tmhub.evaluation.models import Rating, RatingRound
from tmhub.evaluation.rating_choices import RoundRunner, RoundStatus
from tmhub.evaluation.services import ratings
from tmhub.evaluation.tests.rating_helpers import (
    CUTOFF,
    START,
    compute,
    registered_manager,
    small_system,
)
from tmhub.orgs.services import create_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluator(personas):
    """An evaluation organisation and one of its staff."""
    org = create_organization(actor=SYSTEM, name="北京测试人才评价中心",
                              kind=OrgKind.EVALUATION_ORG, district=personas.haidian,
                              credit_code=None, contact_phone="010-62780001",
                              contact_email="eval@example.cn")
    staff = create_user(actor=SYSTEM, username="p_evaluator", password="x-Passw0rd-long",
                        email="p_evaluator@example.cn", display_name="评价员")
    grant_membership(actor=SYSTEM, user=staff, role=Role.INSTITUTION_ADMIN, organization=org)
    return org, staff


def _listed(profile):
    """Registered in the talent registry before the period (another institution's
    registration is endorsed by its own administrator: the walk is not under test here)."""
    from tmhub.talent.models import ManagerProfile

    ManagerProfile.objects.filter(pk=profile.pk).update(
        is_listed=True, registered_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))


def _accredit(personas, org, **extra):
    data = {"reference": "京科发〔2026〕1号", "valid_from": datetime.date(2026, 1, 1)}
    data.update(extra)
    return ratings.accredit(actor=personas.municipal_admin, organization=org, **data)


def _org_round(personas, staff, org, system):
    return ratings.create_round(actor=staff, name="机构评价", period_start=START,
                                period_end=CUTOFF, manager_system=system, organization=org)


def test_only_an_accredited_organisation_runs_a_round(personas, evaluator):
    org, staff = evaluator
    system = small_system(personas.municipal_admin)
    assert not policies.allows(staff, "create", RatingRound)
    with pytest.raises(Http404):
        _org_round(personas, staff, org, system)
    accreditation = _accredit(personas, org)
    assert ObjectChange.objects.filter(object_id=str(accreditation.pk),
                                       action=ObjectChange.Action.CREATE).exists()
    round_ = _org_round(personas, staff, org, system)
    assert round_.runner == RoundRunner.ORGANISATION
    assert policies.allows(staff, "run", round_)
    assert not policies.allows(personas.institution_admin, "run", round_)
    # revoked: the staff can no longer run it (the city still oversees it)
    ratings.revoke_accreditation(accreditation, actor=personas.municipal_admin,
                                 reason="评价质量不达标")
    assert not policies.allows(staff, "run", round_)
    assert policies.allows(personas.municipal_admin, "oversee", round_)


def test_an_expired_accreditation_runs_nothing(personas, evaluator):
    org, staff = evaluator
    _accredit(personas, org, valid_from=datetime.date(2024, 1, 1),
              valid_until=datetime.date(2025, 12, 31))
    assert not policies.allows(staff, "create", RatingRound)


def test_only_an_evaluation_organisation_is_accredited(personas):
    with pytest.raises(ValidationError) as caught:
        _accredit(personas, personas.provider_org)
    assert caught.value.error_dict["organization"][0].code == "not_evaluator"


def test_an_organisations_round_is_published_only_with_the_citys_approval(
        personas, evaluator, django_capture_on_commit_callbacks):
    org, staff = evaluator
    _accredit(personas, org)
    registered_manager(personas)
    round_ = _org_round(personas, staff, org, small_system(personas.municipal_admin))
    round_ = ratings.step_round(round_, "open", actor=staff)
    round_ = compute(round_, staff, capture=django_capture_on_commit_callbacks)
    assert round_.status == RoundStatus.COMPUTED
    # the staff read their round's results before publication
    assert Rating.objects.restrict(staff).filter(round=round_).count() == 1
    with pytest.raises(ValidationError):
        ratings.step_round(round_, "published", actor=staff)
    round_ = ratings.step_round(round_, "approval", actor=staff)
    with pytest.raises(ValidationError):  # returning needs a reason
        ratings.step_round(round_, "computed", actor=personas.municipal_admin)
    round_ = ratings.step_round(round_, "published", actor=personas.municipal_admin)
    assert round_.status == RoundStatus.PUBLISHED
    assert round_.approved_by == personas.municipal_admin
    # the rated manager reads it; the city may suspend it, which hides it again
    assert Rating.objects.restrict(personas.manager).filter(round=round_).count() == 1
    with pytest.raises(ValidationError):
        ratings.step_round(round_, "suspended", actor=staff)
    round_ = ratings.step_round(round_, "suspended", actor=personas.municipal_admin,
                                reason="核查数据")
    assert Rating.objects.restrict(personas.manager).filter(round=round_).count() == 0
    assert WorkflowEvent.objects.filter(object_id=str(round_.pk),
                                        event_type="evaluation.rating_round.suspended",
                                        reason="核查数据").exists()
    round_ = ratings.step_round(round_, "open", actor=personas.municipal_admin,
                                reason="核查完毕")
    assert round_.status == RoundStatus.OPEN and round_.published_at is None


def test_the_city_suspends_its_own_round_and_an_institution_cannot(
        personas, django_capture_on_commit_callbacks):
    city = personas.municipal_admin
    round_ = ratings.create_round(actor=city, name="市级评价", period_start=START,
                                  period_end=CUTOFF, manager_system=small_system(city))
    with pytest.raises(Http404):
        ratings.step_round(round_, "suspended", actor=personas.institution_admin,
                           reason="x")
    round_ = ratings.step_round(round_, "suspended", actor=city, reason="暂停")
    assert round_.status == RoundStatus.SUSPENDED
    assert not policies.allows(city, "run", round_)  # resumed first


def test_an_internal_round_rates_only_the_institutions_own_staff(
        personas, django_capture_on_commit_callbacks):
    from tmhub.talent.tests.helpers import make_profile

    city = personas.municipal_admin
    system = small_system(city)
    registered_manager(personas)  # the university's manager
    other = create_user(actor=SYSTEM, username="p_other_manager", password="x-Passw0rd-long",
                        email="o@example.cn", display_name="另一位")
    grant_membership(actor=SYSTEM, user=other, role=Role.MANAGER,
                     organization=personas.other_university)
    _listed(make_profile(other, employer=personas.other_university,
                         district=personas.chaoyang))
    admin = personas.institution_admin
    with pytest.raises(ValidationError) as caught:  # the purpose is required
        ratings.create_round(actor=admin, name="内部考核", period_start=START,
                             period_end=CUTOFF, manager_system=system,
                             organization=personas.university)
    assert caught.value.error_dict["purpose"][0].code == "purpose_required"
    with pytest.raises(Http404):  # not their institution
        ratings.create_round(actor=admin, name="内部考核", period_start=START,
                             period_end=CUTOFF, manager_system=system,
                             organization=personas.other_university,
                             purpose="performance_review")
    round_ = ratings.create_round(actor=admin, name="内部考核", period_start=START,
                                  period_end=CUTOFF, manager_system=system,
                                  organization=personas.university,
                                  purpose="performance_review")
    assert round_.runner == RoundRunner.INTERNAL
    round_ = ratings.step_round(round_, "open", actor=admin)
    round_ = compute(round_, admin, capture=django_capture_on_commit_callbacks)
    rated = set(Rating.objects.filter(round=round_).values_list("manager_id", flat=True))
    assert rated == {personas.manager.pk}
    round_ = ratings.step_round(round_, "published", actor=admin)
    # the institution and the city read it; another institution's people do not
    assert RatingRound.objects.restrict(personas.manager).filter(pk=round_.pk).exists()
    assert RatingRound.objects.restrict(city).filter(pk=round_.pk).exists()
    assert not RatingRound.objects.restrict(other).filter(pk=round_.pk).exists()
    assert not RatingRound.objects.restrict(personas.enterprise).filter(pk=round_.pk).exists()


def test_the_subject_filter_narrows_the_round(personas, django_capture_on_commit_callbacks):
    from tmhub.talent.tests.helpers import make_profile

    city = personas.municipal_admin
    registered_manager(personas)  # works in 海淀 for the university
    other = create_user(actor=SYSTEM, username="p_m2", password="x-Passw0rd-long",
                        email="m2@example.cn", display_name="朝阳")
    grant_membership(actor=SYSTEM, user=other, role=Role.MANAGER, organization=personas.hospital)
    _listed(make_profile(other, employer=personas.hospital, district=personas.chaoyang))
    system = small_system(city)
    with pytest.raises(ValidationError) as caught:
        ratings.create_round(actor=city, name="x", period_start=START, period_end=CUTOFF,
                             manager_system=system, subject_filter={"planets": [1]})
    assert caught.value.error_dict["subject_filter"][0].code == "filter_invalid"
    for criteria, expected in (({"institution_kinds": ["medical"]}, {other.pk}),
                               ({"institutions": [personas.university.pk]},
                                {personas.manager.pk}),
                               ({}, {other.pk, personas.manager.pk})):
        round_ = ratings.create_round(actor=city, name=str(criteria), period_start=START,
                                      period_end=CUTOFF, manager_system=system,
                                      subject_filter=criteria)
        found = {sid for sid, _employer in ratings.round_subjects(round_, "manager")}
        assert found == expected, criteria


def client_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_assigns_scores_and_resolves_with_the_pages_policies(
        personas, django_capture_on_commit_callbacks):
    """Through /api/v1/: the city assigns a reviewer, the reviewer scores (another user gets
    404), the round is computed and published, the manager objects and the city resolves."""
    city = personas.municipal_admin
    manager = registered_manager(personas)
    system = small_system(city)
    api = client_for(city)
    answer = api.post("/api/v1/rating-rounds/", {
        "name": "接口轮次", "period_start": str(START), "period_end": str(CUTOFF),
        "manager_system": system.pk,
        "subject_filter": {"institutions": [personas.university.pk]}}, format="json")
    assert answer.status_code == 201, answer.content
    round_id = answer.json()["id"]
    assert answer.json()["runner"] == "city"
    expert = system.indicators.get(code="expert")
    assert client_for(personas.institution_admin).post(
        f"/api/v1/rating-rounds/{round_id}/assign/",
        {"indicator": expert.pk, "reviewer": personas.reviewer.pk},
        format="json").status_code == 404
    answer = api.post(f"/api/v1/rating-rounds/{round_id}/assign/",
                      {"indicator": expert.pk, "reviewer": personas.reviewer.pk},
                      format="json")
    assert answer.status_code == 201 and answer.json() == {"reviews": 1}
    assert api.post(f"/api/v1/rating-rounds/{round_id}/open/").status_code == 200
    expert_api = client_for(personas.reviewer)
    reviews = expert_api.get(f"/api/v1/rating-rounds/{round_id}/reviews/").json()["results"]
    assert [r["manager"] for r in reviews] == [manager.pk]
    outsider = client_for(personas.manager).post(
        f"/api/v1/rating-rounds/{round_id}/score/",
        {"review": reviews[0]["id"], "score": "50"}, format="json")
    assert outsider.status_code == 404
    answer = expert_api.post(f"/api/v1/rating-rounds/{round_id}/score/",
                             {"review": reviews[0]["id"], "score": "80", "comment": "扎实"},
                             format="json")
    assert answer.status_code == 200 and answer.json()["score"] == "80.00"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/rating-rounds/{round_id}/compute/").status_code == 200
    assert api.post(f"/api/v1/rating-rounds/{round_id}/publish/").status_code == 200
    rating = Rating.objects.get(round_id=round_id, manager=manager)
    assert rating.total == Decimal("32.00")  # no records: 40% × 80
    mine = client_for(personas.manager)
    answer = mine.post(f"/api/v1/ratings/{rating.pk}/objections/", {"text": "评分有误"},
                       format="json")
    assert answer.status_code == 201
    objection = answer.json()["id"]
    assert mine.post(f"/api/v1/ratings/{rating.pk}/resolve/",
                     {"objection": objection, "decision": "upheld"},
                     format="json").status_code == 404
    answer = api.post(f"/api/v1/ratings/{rating.pk}/resolve/",
                      {"objection": objection, "decision": "rejected"}, format="json")
    assert answer.status_code == 400 and "resolution" in str(answer.json())
    answer = api.post(f"/api/v1/ratings/{rating.pk}/resolve/",
                      {"objection": objection, "decision": "rejected",
                       "resolution": "评分依据充分"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
