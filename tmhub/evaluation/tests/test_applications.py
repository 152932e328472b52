"""The workflow of a title application (issue 16 item 4): draft → submitted → employer public
notice → endorsed → panel review → vote → public notice of the result → approved | not
approved; returned with per-field comments; withdrawn. Data made through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.models import WorkflowEvent
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import ReturnComment, TitleApplication
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft
from tmhub.evaluation.working_days import period_of


@pytest.fixture
def world(personas):
    officer = bureau_officer()
    application = draft(personas.manager, personas.university)
    return personas, officer, application


def _walk(world, to):
    personas, officer, application = world
    return advance(application, to, applicant=personas.manager,
                   employer_admin=personas.institution_admin, officer=officer)


def test_given_a_draft_when_walked_to_the_end_then_each_step_is_an_event(world):
    """Given a draft, when the applicant, the employer and the bureau take their steps, then
    it is approved and every step left a typed event in order."""
    application = _walk(world, S.APPROVED)
    events = list(WorkflowEvent.objects.filter(object_id=str(application.pk)).order_by("id")
                  .values_list("to_state", flat=True))
    assert events == [S.SUBMITTED, S.EMPLOYER_NOTICE, S.ENDORSED, S.PANEL_REVIEW, S.VOTE,
                      S.RESULT_NOTICE, S.APPROVED]
    assert application.decided_at is not None


def test_given_the_employer_notice_then_it_lasts_the_working_days_of_the_rule(world):
    application = _walk(world, S.EMPLOYER_NOTICE)
    expected = period_of(timezone.localdate(), 5)
    assert (application.employer_notice_start, application.employer_notice_end) == (
        expected.start, expected.end)


def test_given_a_running_employer_notice_then_endorsement_is_refused(world):
    personas, officer, _ = world
    application = _walk(world, S.EMPLOYER_NOTICE)
    with pytest.raises(ValidationError) as caught:
        services.step_application(application, S.ENDORSED, actor=personas.institution_admin)
    assert caught.value.code == "notice_running"


def test_given_an_ineligible_draft_then_submission_is_refused_with_the_reason(personas):
    bureau_officer()
    application = draft(personas.manager, personas.university, years=2)
    with pytest.raises(ValidationError) as caught:
        services.step_application(application, S.SUBMITTED, actor=personas.manager)
    assert "level" in caught.value.error_dict


def test_given_a_submitted_application_when_returned_then_comments_per_field_and_resubmit(
        world):
    """Given a submitted application, when the employer returns it with a comment on the
    summary, then the applicant sees it, edits and submits again; the comment is answered."""
    personas, officer, application = world
    application = _walk(world, S.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        services.return_application(application, actor=personas.institution_admin,
                                    comments={}, reason="x")
    assert caught.value.code == "comments_required"
    services.return_application(application, actor=personas.institution_admin,
                                comments={"summary": "请补充合同金额。"}, reason="材料不全")
    application.refresh_from_db()
    assert application.status == S.RETURNED
    comment = ReturnComment.objects.get(application=application)
    assert (comment.field, comment.stage, comment.resolved_at) == ("summary", "employer", None)
    services.update_application(application, actor=personas.manager,
                                summary="负责专利许可合同谈判，合同金额120万元。")
    services.step_application(application, S.SUBMITTED, actor=personas.manager)
    comment.refresh_from_db()
    assert comment.resolved_at is not None


def test_given_an_endorsed_application_then_the_bureau_returns_it_at_intake(world):
    personas, officer, application = world
    application = _walk(world, S.ENDORSED)
    with pytest.raises(ValidationError) as caught:
        services.return_application(application, actor=personas.institution_admin,
                                    comments={"summary": "x"})
    assert caught.value.code == "transition_forbidden"
    services.return_application(application, actor=officer, comments={"level": "请核对级别"})
    assert ReturnComment.objects.get(application=application).stage == "intake"


def test_given_each_step_then_only_its_persona_may_take_it(world):
    """The applicant cannot endorse, the employer cannot pass the intake check, another
    institution's administrator cannot see the application."""
    personas, officer, application = world
    application = _walk(world, S.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        services.step_application(application, S.EMPLOYER_NOTICE, actor=personas.manager)
    assert caught.value.code == "transition_forbidden"
    with pytest.raises(Http404):
        services.step_application(application, S.EMPLOYER_NOTICE, actor=officer)
    application = _walk(world, S.ENDORSED)
    with pytest.raises(ValidationError) as caught:
        services.step_application(application, S.PANEL_REVIEW,
                                  actor=personas.institution_admin)
    assert caught.value.code == "transition_forbidden"


def test_given_a_vote_without_quorum_then_it_is_refused(world):
    personas, officer, application = world
    application = _walk(world, S.VOTE)
    with pytest.raises(ValidationError) as caught:
        services.record_vote(application, actor=officer, panel_size=9, members_present=5,
                             votes_for=5, votes_against=0, votes_abstain=0)
    assert "members_present" in caught.value.error_dict
    application.refresh_from_db()
    assert application.status == S.VOTE and application.votes_for is None


def test_given_a_vote_below_the_threshold_then_not_approved(world):
    personas, officer, application = world
    application = _walk(world, S.VOTE)
    services.record_vote(application, actor=officer, panel_size=9, members_present=9,
                         votes_for=5, votes_against=4, votes_abstain=0)
    application.refresh_from_db()
    assert application.status == S.NOT_APPROVED


def test_given_an_objection_then_approval_waits_and_an_upheld_one_refuses_the_title(world):
    personas, officer, application = world
    application = _walk(world, S.RESULT_NOTICE)
    objection = services.record_objection(application, actor=officer,
                                          received_on=application.result_notice_start,
                                          text="代表作合同金额与备案不符。", objector="李某")
    TitleApplication.objects.filter(pk=application.pk).update(
        result_notice_end=timezone.localdate() - datetime.timedelta(days=1))
    application.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.step_application(application, S.APPROVED, actor=officer)
    assert caught.value.code == "objection_open"
    services.resolve_objection(objection, actor=officer, upheld=True,
                               resolution="经核实，合同金额不符。")
    with pytest.raises(ValidationError) as caught:
        services.step_application(application, S.APPROVED, actor=officer)
    assert caught.value.code == "objection_upheld"
    services.step_application(application, S.NOT_APPROVED, actor=officer,
                              reason="异议成立")
    application.refresh_from_db()
    assert application.status == S.NOT_APPROVED


def test_given_a_submitted_application_then_the_applicant_withdraws_it(world):
    personas, officer, application = world
    application = _walk(world, S.SUBMITTED)
    services.step_application(application, S.WITHDRAWN, actor=personas.manager)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    # A new application may then be started in the same round.
    assert draft(personas.manager, personas.university).status == S.DRAFT


def test_given_a_live_application_then_a_second_one_in_the_round_is_refused(world):
    personas, _, _ = world
    with pytest.raises(ValidationError) as caught:
        draft(personas.manager, personas.university)
    assert "round" in caught.value.error_dict


def test_given_the_lists_then_each_persona_sees_its_own(world, django_assert_max_num_queries):
    """The draft is the applicant's alone; the employer sees it once submitted, the bureau
    once endorsed; another institution's administrator never."""
    personas, officer, application = world

    def seen(user):
        return set(TitleApplication.objects.restrict(user).values_list("pk", flat=True))

    assert seen(personas.manager) == {application.pk}
    assert seen(personas.institution_admin) == seen(officer) == set()
    application = _walk(world, S.SUBMITTED)
    assert seen(personas.institution_admin) == {application.pk}
    assert seen(officer) == set()
    application = _walk(world, S.ENDORSED)
    assert seen(officer) == {application.pk}
    for outsider in (personas.enterprise, personas.reviewer, personas.department_officer,
                     personas.district_officer):
        assert seen(outsider) == set()
    client = client_for(officer)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("evaluation:application-list"))
    assert page.status_code == 200 and personas.manager.manager_profile.full_name in \
        page.content.decode()


def test_given_the_pages_then_the_walk_works_through_http(world):
    """The applicant submits on the page; the employer returns with a comment on the return
    page; the comment shows on the applicant's edit form."""
    personas, officer, application = world
    applicant = client_for(personas.manager)
    detail = reverse("evaluation:application-detail", args=[application.pk])
    assert applicant.get(detail).status_code == 200
    applicant.post(reverse("evaluation:application-step", args=[application.pk, S.SUBMITTED]))
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    employer = client_for(personas.institution_admin)
    assert 'id="return-application"' in employer.get(detail).content.decode()
    answer = employer.post(reverse("evaluation:application-return", args=[application.pk]),
                           {"reason": "请修改", "comment_summary": "请写明合同金额。"})
    assert answer.status_code == 302
    form = applicant.get(reverse("evaluation:application-edit", args=[application.pk]))
    assert "请写明合同金额。" in form.content.decode()


def test_given_the_application_then_its_verdict_names_the_applicant_not_you(world):
    """The employer, the bureau and the reviewers read the application and its dossier: the
    applicant's figures are the applicant's (申报人), never "you" (您), and a route through a
    title reads "无职称" for someone without one, not "无职称 0 年"."""
    from tmhub.evaluation.dossier import _sections

    personas, officer, application = world
    application = _walk(world, S.SUBMITTED)
    page = client_for(personas.institution_admin).get(
        reverse("evaluation:application-detail", args=[application.pk])).content.decode()
    section = page[page.index('id="eligibility"'):page.index('id="works"')]
    assert "（申报人：本科，6 年）" in section and "（申报人：本科；无职称）" in section
    assert "您：" not in section and "无职称 0 年" not in section
    from django.utils import translation

    with translation.override("zh-hans"):
        rows = dict(_sections(application))["申报条件"]
    routes = [text for _mark, text in rows if text.startswith(("符合", "不符合"))]
    assert len(routes) == 5 and all("申报人：" in text and "您：" not in text for text in routes)
