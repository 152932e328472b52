"""Panels and reviewers (issue 16 item 5): assignment refuses a reviewer of the applicant's
institution or with a declared conflict; each reviewer sees only their assigned applications
and never the others' scores until the vote; the applicant never sees reviewers' names;
scores on weighted criteria (data); the review closes only when every reviewer scored."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import ReviewScore
from tmhub.evaluation.services import applications
from tmhub.evaluation.services import panels as services
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft, expert, panel_of


@pytest.fixture
def world(personas):
    officer = bureau_officer()
    application = draft(personas.manager, personas.university)
    application = advance(application, S.PANEL_REVIEW, applicant=personas.manager,
                          employer_admin=personas.institution_admin, officer=officer)
    panel = panel_of(application, officer, size=3)
    return personas, officer, application, panel


def _scores(value=80):
    return {c.code: value for c in services.criteria_in_force()}


def _members(panel):
    return [m.expert for m in panel.memberships.order_by("id")]


def test_given_an_expert_of_the_applicants_institution_then_assignment_is_refused(world):
    personas, officer, application, panel = world
    colleague = expert(officer, "p_colleague", personas.university, "同校专家")
    services.add_member(panel, actor=officer, expert=colleague)
    with pytest.raises(ValidationError) as caught:
        services.assign_reviewer(application, actor=officer, expert=colleague)
    assert caught.value.error_dict["expert"][0].code == "same_institution"
    assert not application.assignments.exists()


def test_given_a_declared_conflict_then_assignment_is_refused(world):
    personas, officer, application, panel = world
    first = _members(panel)[0]
    services.declare_conflict(application, actor=officer, expert=first,
                              reason="与申报人为近亲属")
    with pytest.raises(ValidationError) as caught:
        services.assign_reviewer(application, actor=officer, expert=first)
    assert caught.value.error_dict["expert"][0].code == "declared_conflict"


def test_given_a_reviewer_declaring_a_conflict_then_they_are_recused(world):
    personas, officer, application, panel = world
    first = _members(panel)[0]
    assignment = services.assign_reviewer(application, actor=officer, expert=first)
    client = client_for(first.user)
    response = client.post(reverse("evaluation:review-conflict", args=[assignment.pk]),
                           {"reason": "曾与申报人合作发表论文"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.recused_at is not None
    assert client.get(application.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):
        services.submit_scores(assignment, actor=first.user, scores=_scores())


def test_given_an_expert_outside_the_panel_or_a_wrong_stage_then_assignment_is_refused(
        world, personas):
    _, officer, application, panel = world
    outsider = expert(officer, "p_not_member", personas.hospital)
    with pytest.raises(ValidationError) as caught:
        services.assign_reviewer(application, actor=officer, expert=outsider)
    assert caught.value.error_dict["expert"][0].code == "not_a_member"
    with pytest.raises(ValidationError):  # only the bureau assigns
        services.assign_reviewer(application, actor=personas.institution_admin,
                                 expert=_members(panel)[0])


def test_given_scores_then_the_weighted_total_is_kept_and_a_correction_audited(world):
    _, officer, application, panel = world
    first = _members(panel)[0]
    assignment = services.assign_reviewer(application, actor=officer, expert=first)
    codes = [c.code for c in services.criteria_in_force()]
    with pytest.raises(ValidationError) as caught:
        services.submit_scores(assignment, actor=first.user, scores={codes[0]: 101})
    assert set(caught.value.error_dict) >= {f"score_{c}" for c in codes}
    assignment = services.submit_scores(assignment, actor=first.user,
                                        scores=dict(zip(codes, [80, 90, 70], strict=True)))
    assert str(assignment.total) == "81.00"  # weights 30/40/30 seeded
    assignment = services.submit_scores(assignment, actor=first.user,
                                        scores=dict(zip(codes, [80, 90, 100], strict=True)))
    assert str(assignment.total) == "90.00"
    changed = ReviewScore.objects.get(assignment=assignment, criterion__code=codes[2])
    change = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(ReviewScore),
        object_id=str(changed.pk), action=ObjectChange.Action.UPDATE)
    assert change.before["score"] == 70 and change.after["score"] == 100
    with pytest.raises(Http404):  # another reviewer may not score it (nor see it)
        services.submit_scores(assignment, actor=_members(panel)[1].user, scores=_scores())


def test_given_missing_scores_then_the_review_does_not_close(world):
    _, officer, application, panel = world
    with pytest.raises(ValidationError) as caught:
        applications.step_application(application, S.VOTE, actor=officer)
    assert caught.value.code == "no_reviewer"
    first, second, _third = _members(panel)
    services.assign_reviewer(application, actor=officer, expert=first)
    mine = services.assign_reviewer(application, actor=officer, expert=second)
    services.submit_scores(mine, actor=second.user, scores=_scores())
    with pytest.raises(ValidationError) as caught:
        applications.step_application(application, S.VOTE, actor=officer)
    assert caught.value.code == "scores_missing"


def test_given_the_vote_then_the_panel_size_is_the_panels(world):
    _, officer, application, panel = world
    for member in _members(panel)[:2]:
        assignment = services.assign_reviewer(application, actor=officer, expert=member)
        services.submit_scores(assignment, actor=member.user, scores=_scores())
    application = applications.step_application(application, S.VOTE, actor=officer)
    with pytest.raises(ValidationError) as caught:
        applications.record_vote(application, actor=officer, panel_size=9, members_present=7,
                                 votes_for=6, votes_against=1, votes_abstain=0)
    assert caught.value.error_dict["panel_size"][0].code == "panel_size_mismatch"
    application = applications.record_vote(application, actor=officer, panel_size=3,
                                           members_present=3, votes_for=2, votes_against=1,
                                           votes_abstain=0)
    assert application.status == S.RESULT_NOTICE


def test_given_every_persona_then_each_reviewer_sees_only_their_own_review(world):
    """Reviewer isolation for every persona: a review page answers the assigned reviewer, the
    bureau and the city; everyone else (the other reviewer, the applicant, the employer, the
    rest) gets 404, and before the vote nobody but the bureau reads another's score."""
    personas, officer, application, panel = world
    first, second, _third = _members(panel)
    mine = services.assign_reviewer(application, actor=officer, expert=first)
    theirs = services.assign_reviewer(application, actor=officer, expert=second)
    services.submit_scores(theirs, actor=second.user, scores=_scores(61))
    url = reverse("evaluation:review-detail", args=[theirs.pk])
    allowed = {second.user.pk, officer.pk, personas.municipal_admin.pk}
    for _name, user in [*personas.signed_in(), ("first", first.user), ("officer", officer)]:
        status = client_for(user).get(url).status_code
        assert status == (200 if user.pk in allowed else 404), (_name, status)
    page = client_for(first.user).get(reverse("evaluation:review-detail", args=[mine.pk]))
    assert page.status_code == 200 and "61.00" not in page.content.decode()
    listing = client_for(first.user).get(reverse("evaluation:review-list")).content.decode()
    assert reverse("evaluation:review-detail", args=[theirs.pk]) not in listing
    # the applicant and the employer never read a reviewer's name
    for user in (personas.manager, personas.institution_admin):
        body = client_for(user).get(application.get_absolute_url()).content.decode()
        assert first.full_name not in body and second.full_name not in body
        assert client_for(user).get(reverse("evaluation:review-list")).status_code == 200
        listing = client_for(user).get(reverse("evaluation:review-list")).content.decode()
        assert first.full_name not in listing


def test_given_the_vote_then_reviewers_read_the_others_totals_without_names(world):
    personas, officer, application, panel = world
    first, second, _third = _members(panel)
    mine = services.assign_reviewer(application, actor=officer, expert=first)
    theirs = services.assign_reviewer(application, actor=officer, expert=second)
    services.submit_scores(mine, actor=first.user, scores=_scores(80))
    services.submit_scores(theirs, actor=second.user, scores=_scores(61))
    applications.step_application(application, S.VOTE, actor=officer)
    page = client_for(first.user).get(reverse("evaluation:review-detail", args=[mine.pk]))
    body = page.content.decode()
    assert "61.00" in body and "70.50" in body  # the other's total and the mean
    assert second.full_name not in body
    # the other's review page now opens too, still without their name or comment
    other = client_for(first.user).get(reverse("evaluation:review-detail", args=[theirs.pk]))
    assert other.status_code == 200 and second.full_name not in other.content.decode()
    assert 'id="score-form"' not in other.content.decode()
    assert 'id="own-scores"' not in other.content.decode()


def test_given_the_bureau_then_it_forms_panels_and_others_may_not(world):
    personas, officer, application, panel = world
    create = reverse("evaluation:panel-create")
    assert client_for(officer).get(create).status_code == 200
    for user in (personas.manager, personas.reviewer, personas.institution_admin,
                 personas.department_officer):
        assert client_for(user).get(create).status_code == 404
        assert client_for(user).get(panel.get_absolute_url()).status_code == 404
        assert client_for(user).get(reverse("evaluation:expert-create")).status_code == 404
    # a member reads their panel (without the bureau's tools)
    member = _members(panel)[0].user
    body = client_for(member).get(panel.get_absolute_url()).content.decode()
    assert "panel-applications" not in body
    # the bureau assigns from the panel page
    response = client_for(officer).post(
        reverse("evaluation:application-assign", args=[application.pk]),
        {f"a{application.pk}-expert": _members(panel)[0].pk})
    assert response.status_code == 302 and application.assignments.count() == 1
    for user in (personas.manager, member):
        response = client_for(user).post(
            reverse("evaluation:application-assign", args=[application.pk]),
            {f"a{application.pk}-expert": _members(panel)[1].pk})
        assert response.status_code == 404
    assert application.assignments.count() == 1


def test_the_conflict_pages_say_声明_for_declaring_and_never_申报申报(world):
    """申报 is the application in this module: a reviewer declares (声明) a conflict, and the
    bureau's refusal says the conflict is on record, whoever recorded it."""
    from django.utils import translation

    personas, officer, application, panel = world
    first, second = _members(panel)[:2]
    assignment = services.assign_reviewer(application, actor=officer, expert=first)
    page = client_for(first.user).get(assignment.get_absolute_url()).content.decode()
    assert "声明利益冲突" in page and "声明并回避" in page and "申报利益冲突" not in page
    services.declare_conflict(application, actor=officer, expert=second, reason="近亲属")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.assign_reviewer(application, actor=officer, expert=second)
    assert caught.value.messages == ["已登记该专家与本申报存在利益冲突，不能指派其评审。"]
    with translation.override("zh-hans"):
        assert translation.gettext("Declare a conflict on an application assigned to you.") \
            == "只能对指派给您的申报声明利益冲突。"


def test_the_expert_pool_heads_and_asks_a_person_s_name_姓名(world):
    """A shared "Name" reads 名称 (another app's catalogue wins); an expert is a person."""
    personas, officer, _application, _panel = world
    client = client_for(officer)
    pool = client.get(reverse("evaluation:expert-list")).content.decode()
    assert "<th>姓名</th>" in pool and "<th>名称</th>" not in pool
    form = client.get(reverse("evaluation:expert-create")).content.decode()
    assert re.search(r'<label[^>]*for="id_full_name"[^>]*>姓名', form)


def test_the_panel_page_offers_to_assign_only_members_not_yet_assigned(world):
    personas, officer, application, panel = world
    first, second, third = _members(panel)[:3]
    services.assign_reviewer(application, actor=officer, expert=first)
    page = client_for(officer).get(panel.get_absolute_url()).content.decode()
    row = page[page.index(f'id="application-{application.pk}"'):]
    select = row[row.index("<select"):row.index("</select>")]
    assert f'value="{first.pk}"' not in select
    assert f'value="{second.pk}"' in select and f'value="{third.pk}"' in select


def test_the_review_page_labels_take_the_full_width_colon_in_chinese(world):
    personas, officer, application, panel = world
    first = _members(panel)[0]
    assignment = services.assign_reviewer(application, actor=officer, expert=first)
    services.submit_scores(assignment, actor=first.user, scores=_scores())
    page = client_for(first.user).get(assignment.get_absolute_url()).content.decode()
    assert f"职称评审：{application.applicant.full_name}" in page
    assert f"评审专家：{first.full_name}" in page and "加权得分：" in page
    assert "评审: " not in page and "专家: " not in page and "得分: " not in page


def test_given_a_colleague_and_a_declared_conflict_then_the_panel_page_does_not_offer_them(world):
    """The panel page offers only members the assignment would accept, and says who else is
    not offered and why; the average says how many of the reviewers it is over."""
    personas, officer, application, panel = world
    colleague = expert(officer, "p_colleague2", personas.university, "同校专家")
    services.add_member(panel, actor=officer, expert=colleague)
    conflicted, free, *_rest = _members(panel)
    services.declare_conflict(application, actor=officer, expert=conflicted,
                              reason="与申报人为近亲属")
    assignment = services.assign_reviewer(application, actor=officer, expert=free)
    services.submit_scores(assignment, actor=free.user, scores=_scores(86))
    html = client_for(officer).get(panel.get_absolute_url()).content.decode()
    form = re.search(r'action="[^"]*/assign/"[^>]*>.*?</form>', html, re.S).group(0)
    offered = set(re.findall(r'<option value="(\d+)"', form))
    assert str(colleague.pk) not in offered and str(conflicted.pk) not in offered
    assert str(free.pk) not in offered  # already assigned
    assert offered  # the third member is still offered
    not_offered = re.search(r'<ul class="small text-muted mb-1 not-offered">(.*?)</ul>', html,
                            re.S).group(1)
    assert "同校专家" in not_offered and conflicted.full_name in not_offered
    assert re.search(r'scored-count">([^<]*)<', html).group(1).strip() in (
        "(1 of 1 scored)", "（已评分 1/1）")
