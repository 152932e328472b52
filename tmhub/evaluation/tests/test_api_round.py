"""The title round's API (issue 16 item 7): /api/v1/title-applications/ with transition
actions, /api/v1/title-panels/, /api/v1/title-reviews/ (a reviewer's own), under the pages'
policies (out of scope: 404)."""

import pytest
from rest_framework.test import APIClient

from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleRound
from tmhub.evaluation.services import panels
from tmhub.evaluation.tests.helpers import advance, bureau_officer, open_round, panel_of, profile_of

APPS = "/api/v1/title-applications/"
PANELS = "/api/v1/title-panels/"
REVIEWS = "/api/v1/title-reviews/"


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def world(personas):
    officer = bureau_officer()
    profile_of(personas.manager, personas.university)
    open_round()
    return personas, officer


def _create(personas):
    response = api(personas.manager).post(APPS, {
        "round": TitleRound.objects.get().pk, "level": "engineer", "direction": "operation",
        "education": "bachelor", "years_since_education": 6, "current_title": None,
        "years_in_current_title": 0, "summary": "负责专利许可合同谈判。"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_given_the_api_then_an_application_walks_with_the_pages_policies(world):
    personas, officer = world
    body = _create(personas)
    url = f"{APPS}{body['id']}/"
    assert body["status"] == S.DRAFT and "submitted" in body["allowed_steps"]
    # the draft is the applicant's alone
    for user in (personas.institution_admin, personas.reviewer, personas.outsider, officer):
        assert api(user).get(url).status_code == 404
        assert api(user).patch(url, {"summary": "改"}, format="json").status_code == 404
    assert api(None).get(APPS).status_code in (401, 403)
    patched = api(personas.manager).patch(url, {"summary": "负责专利许可与转让合同谈判。"},
                                          format="json")
    assert patched.status_code == 200 and patched.json()["summary"].startswith("负责专利许可与")
    bad = api(personas.manager).patch(url, {"years_since_education": -1}, format="json")
    assert bad.status_code == 400 and "years_since_education" in str(bad.json())
    # the employer may not step a draft; the applicant submits
    assert api(personas.manager).post(url + "transition/", {"target": "submitted"},
                                      format="json").json()["status"] == S.SUBMITTED
    # the employer returns it with a per-field comment
    returned = api(personas.institution_admin).post(
        url + "return/", {"comments": {"summary": "请补充合同金额"}, "reason": "材料不全"},
        format="json")
    assert returned.status_code == 200 and returned.json()["status"] == S.RETURNED
    assert api(personas.manager).post(url + "transition/", {"target": "submitted"},
                                      format="json").status_code == 200
    stepped = api(personas.institution_admin).post(url + "transition/",
                                                   {"target": "employer_notice"},
                                                   format="json")
    assert stepped.status_code == 200 and stepped.json()["employer_notice_end"]
    # a step the caller may not take is refused in the service's words, not performed
    refused = api(personas.manager).post(url + "transition/", {"target": "endorsed"},
                                         format="json")
    assert refused.status_code in (400, 403, 404)
    from tmhub.evaluation.models import TitleApplication

    application = TitleApplication.objects.get(pk=body["id"])
    assert application.status == S.EMPLOYER_NOTICE
    application = advance(application, S.PANEL_REVIEW, applicant=personas.manager,
                          employer_admin=personas.institution_admin, officer=officer)
    panel = panel_of(application, officer, size=3)
    expert = panel.memberships.order_by("id").first().expert
    assigned = api(officer).post(url + "assign/", {"expert": expert.pk}, format="json")
    assert assigned.status_code == 201
    assert api(personas.manager).post(url + "assign/", {"expert": expert.pk},
                                      format="json").status_code == 404
    review_url = f"{REVIEWS}{assigned.json()['id']}/"
    scored = api(expert.user).post(review_url + "scores/", {
        "scores": {c.code: 90 for c in panels.criteria_in_force()}, "comment": "好"},
        format="json")
    assert scored.status_code == 200 and scored.json()["total"] == "90.00"
    assert api(officer).post(url + "transition/", {"target": "vote"},
                             format="json").status_code == 200
    voted = api(officer).post(url + "vote/", {"panel_size": 3, "members_present": 3,
                                              "votes_for": 3, "votes_against": 0,
                                              "votes_abstain": 0}, format="json")
    assert voted.status_code == 200 and voted.json()["status"] == S.RESULT_NOTICE
    # the applicant reads the tally, never a reviewer
    mine = api(personas.manager).get(url).json()
    assert mine["votes_for"] == 3 and expert.full_name not in str(mine)
    assert api(personas.manager).get(REVIEWS).json()["results"] == []
    assert api(personas.manager).get(review_url).status_code == 404


def test_given_reviews_then_each_reviewer_lists_and_scores_only_their_own(world):
    personas, officer = world
    body = _create(personas)
    from tmhub.evaluation.models import TitleApplication

    application = advance(TitleApplication.objects.get(pk=body["id"]), S.PANEL_REVIEW,
                          applicant=personas.manager, employer_admin=personas.institution_admin,
                          officer=officer)
    panel = panel_of(application, officer, size=3)
    first, second, _ = [m.expert for m in panel.memberships.order_by("id")]
    mine = panels.assign_reviewer(application, actor=officer, expert=first)
    theirs = panels.assign_reviewer(application, actor=officer, expert=second)
    listed = api(first.user).get(REVIEWS).json()["results"]
    assert [r["id"] for r in listed] == [mine.pk]
    assert api(first.user).get(f"{REVIEWS}{theirs.pk}/").status_code == 404
    assert api(first.user).post(f"{REVIEWS}{theirs.pk}/scores/", {"scores": {}},
                                format="json").status_code == 404
    bad = api(first.user).post(f"{REVIEWS}{mine.pk}/scores/", {"scores": {"performance": 5}},
                               format="json")
    assert bad.status_code == 400
    assert len(api(officer).get(REVIEWS).json()["results"]) == 2
    # the reviewer's application is readable to them; the others' are not
    assert api(first.user).get(f"{APPS}{application.pk}/").status_code == 200
    conflict = api(second.user).post(f"{REVIEWS}{theirs.pk}/conflict/",
                                     {"reason": "曾共同承担项目"}, format="json")
    assert conflict.status_code == 200 and conflict.json()["recused_at"]
    assert api(second.user).get(f"{APPS}{application.pk}/").status_code == 404


def test_given_panels_then_the_bureau_forms_them_and_members_read_theirs(world):
    personas, officer = world
    round_ = TitleRound.objects.get()
    response = api(officer).post(PANELS, {"round": round_.pk, "level": "senior_engineer",
                                          "direction": "research", "name": "高级工程师评审委员会"},
                                 format="json")
    assert response.status_code == 201
    panel_url = f"{PANELS}{response.json()['id']}/"
    for user in (personas.manager, personas.reviewer, personas.institution_admin,
                 personas.municipal_admin):
        refused = api(user).post(PANELS, {"round": round_.pk, "level": "engineer",
                                          "direction": "research", "name": "x"},
                                 format="json")
        assert refused.status_code == 404
    from tmhub.evaluation.tests.helpers import expert

    member = expert(officer, "p_api_expert", personas.hospital, "王专家")
    added = api(officer).post(panel_url + "members/", {"expert": member.pk, "is_chair": True},
                              format="json")
    assert added.status_code == 201 and added.json()["is_chair"] is True
    assert api(member.user).get(panel_url).status_code == 200
    assert api(personas.reviewer).get(panel_url).status_code == 404
    assert api(personas.manager).get(PANELS).json()["results"] == []
    assert api(member.user).post(panel_url + "members/", {"expert": member.pk},
                                 format="json").status_code == 404
