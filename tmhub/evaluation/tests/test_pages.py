"""The bureau's pages (市人社局: department officer of human_resources), My work, and the
new pages in the reader's language."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.tests.test_i18n import foreign_words, visible_text
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import Objection, TitleApplication
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft


@pytest.fixture
def round_world(personas):
    officer = bureau_officer()
    application = draft(personas.manager, personas.university)
    return personas, officer, application


def _walk(world, to):
    personas, officer, application = world
    return advance(application, to, applicant=personas.manager,
                   employer_admin=personas.institution_admin, officer=officer)


def _kinds(user):
    return {item.kind for item in work_items.items_for(get_scope(user), module="evaluation")}


def test_given_the_round_when_the_bureau_uses_its_pages_then_vote_and_objection_work(
        round_world):
    personas, officer, application = round_world
    application = _walk(round_world, S.VOTE)
    bureau = client_for(officer)
    assert "evaluation.run_round" in _kinds(officer)
    vote = reverse("evaluation:application-vote", args=[application.pk])
    assert bureau.get(vote).status_code == 200
    # Votes that do not add up are refused next to the field.
    answer = bureau.post(vote, {"panel_size": 9, "members_present": 7, "votes_for": 6,
                                "votes_against": 0, "votes_abstain": 0})
    assert answer.status_code == 200 and "add up" not in answer.content.decode()
    application.refresh_from_db()
    assert application.status == S.VOTE
    answer = bureau.post(vote, {"panel_size": 9, "members_present": 7, "votes_for": 6,
                                "votes_against": 1, "votes_abstain": 0})
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.status == S.RESULT_NOTICE
    page = bureau.get(application.get_absolute_url()).content.decode()
    assert 'id="record-objection"' in page and 'id="result-notice"' in page
    answer = bureau.post(reverse("evaluation:objection-create", args=[application.pk]), {
        "received_on": application.result_notice_start.isoformat(), "objector": "李某",
        "text": "代表作存疑。"})
    assert answer.status_code == 302
    objection = Objection.objects.get(application=application)
    assert "evaluation.objection" in _kinds(officer)
    # The applicant reads the objection but not who raised it.
    mine = client_for(personas.manager).get(application.get_absolute_url()).content.decode()
    assert "代表作存疑。" in mine and "李某" not in mine
    answer = bureau.post(reverse("evaluation:objection-resolve", args=[objection.pk]),
                         {"decision": "dismissed", "resolution": "经核实无误。"})
    assert answer.status_code == 302
    page = bureau.get(application.get_absolute_url()).content.decode()
    assert "处理结果：</span> 经核实无误。" in page  # the full-width colon in Chinese
    TitleApplication.objects.filter(pk=application.pk).update(
        result_notice_end=timezone.localdate() - datetime.timedelta(days=1))
    bureau.post(reverse("evaluation:application-step", args=[application.pk, S.APPROVED]))
    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_given_my_work_then_each_persona_sees_its_next_step(round_world):
    personas, officer, application = round_world
    _walk(round_world, S.SUBMITTED)
    assert _kinds(personas.institution_admin) == {"evaluation.employer_review"}
    assert _kinds(officer) == set() and _kinds(personas.manager) == set()
    _walk(round_world, S.ENDORSED)
    assert _kinds(officer) == {"evaluation.run_round"}
    assert _kinds(personas.institution_admin) == set()


def test_given_the_bureau_then_it_may_open_a_round_and_others_may_not(round_world):
    personas, officer, _ = round_world
    assert client_for(officer).get(reverse("evaluation:round-create")).status_code == 200
    assert client_for(personas.manager).get(
        reverse("evaluation:round-create")).status_code == 404


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_given_either_language_then_the_application_pages_read_in_it(round_world, language):
    personas, officer, application = round_world
    application = _walk(round_world, S.VOTE)
    data_latin = {"p_hrss", "hrss", "p_manager", "manager", "p_tto", "tto",
                  "p_expert0", "expert0", "expert"}  # user names
    data_cjk = {"王测试", "测试大学", "负责学校专利转让与许可合同的谈判与签订",
                "专家", "工程师评审委员会", "另一所大学"}  # panel, experts, their employer
    pages = [
        (officer, reverse("evaluation:application-list")),
        (officer, application.get_absolute_url()),
        (officer, reverse("evaluation:application-vote", args=[application.pk])),
        (officer, reverse("evaluation:round-create")),
        (personas.manager, reverse("evaluation:application-list")),
        (officer, reverse("evaluation:panel-list")),
        (officer, application.assignments.first().panel.get_absolute_url()),
        (officer, reverse("evaluation:expert-list")),
        (officer, reverse("evaluation:review-list")),
        (officer, application.assignments.first().get_absolute_url()),
        (application.assignments.first().expert.user, reverse("evaluation:review-list")),
        (application.assignments.first().expert.user,
         application.assignments.first().get_absolute_url()),
        (None, reverse("evaluation:notice-list")),
        (None, reverse("evaluation:title-lookup")),
        (None, reverse("evaluation:title-verify", args=["BJJJ-2026-E00001-AAAA"])),
        (officer, reverse("evaluation:pass-rates")),
        (personas.manager, application.get_absolute_url()),
    ]
    for user, url in pages:
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        texts = visible_text(client.get(url).content.decode())
        assert foreign_words(texts, language, data_latin, data_cjk) == set(), url


def test_the_application_pages_word_each_reader_and_field_alike(round_world):
    """The city reads the list as oversight (not as "your applications"); the form and the
    page label the years and the title as the eligibility check does, the form offers 无职称;
    the panel section is headed 专家评审, not the status 评审中."""
    personas, officer, application = round_world
    listing = client_for(personas.municipal_admin).get(
        reverse("evaluation:application-list")).content.decode()
    assert "全市职称申报情况，供监督查看" in listing and "您的技术经纪专业职称申报" not in listing
    assert "badge text-bg-light border me-1 text-wrap" in listing  # the round wraps on a phone
    mine = client_for(personas.manager).get(reverse("evaluation:application-list"))
    assert "您的技术经纪专业职称申报" in mine.content.decode()
    form = client_for(personas.manager).get(
        reverse("evaluation:application-edit", args=[application.pk])).content.decode()
    assert "毕业后从事专业工作年限（整年）" in form and "现有职称" in form
    assert re.search(r'<option value=""( selected)?>无职称</option>', form)
    application = _walk(round_world, S.PANEL_REVIEW)
    from tmhub.evaluation.tests.helpers import panel_of

    panel_of(application, officer, size=3)
    page = client_for(officer).get(application.get_absolute_url()).content.decode()
    assert '<h2 class="h6">专家评审 · ' in page


def test_the_round_form_and_the_review_list_use_the_titles_own_words(round_world):
    """The round's dates are 申报 dates (the events' 报名截止日期 of another catalogue won), and
    a review's state is 评分情况 (training's 成绩, a grade, won)."""
    personas, officer, _ = round_world
    form = client_for(officer).get(reverse("evaluation:round-create")).content.decode()
    assert "申报开始日期" in form and "申报截止日期" in form and "报名截止日期" not in form
    reviews = client_for(officer).get(reverse("evaluation:review-list")).content.decode()
    assert "评分情况" in reviews and "成绩" not in reviews


def test_given_a_notice_period_then_the_step_after_it_is_work_only_once_it_ended(round_world):
    """Endorsing after the employer notice and deciding after the result notice are refused
    while the notice runs: neither is on anyone's list before, and the notice's last day is
    not given as a deadline (it is when the step may start)."""
    personas, officer, application = round_world
    application = _walk(round_world, S.EMPLOYER_NOTICE)
    assert application.employer_notice_end >= timezone.localdate()
    assert _kinds(personas.institution_admin) == set()
    TitleApplication.objects.filter(pk=application.pk).update(
        employer_notice_end=timezone.localdate() - datetime.timedelta(days=1))
    [item] = work_items.items_for(get_scope(personas.institution_admin), module="evaluation")
    assert item.kind == "evaluation.employer_review" and item.due_on is None

    application = _walk(round_world, S.RESULT_NOTICE)
    assert application.result_notice_end >= timezone.localdate()
    assert "evaluation.run_round" not in _kinds(officer)
    TitleApplication.objects.filter(pk=application.pk).update(
        result_notice_end=timezone.localdate() - datetime.timedelta(days=1))
    assert "evaluation.run_round" in _kinds(officer)
