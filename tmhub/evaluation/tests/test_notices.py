"""Notifications of the title rounds (issue 16): the expert is told of an application assigned to
them for review, the applicant of a return for changes and of the result; once per person and
event, e-mailed on commit, and the kinds are offered on the e-mail preferences from start-up."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import Notification
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.services import panels
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft, panel_of, profile_of
from tmhub.talent.tests.helpers import resident_id

KINDS = ("evaluation.review_assigned", "evaluation.application_returned", "evaluation.result",
         "evaluation.title_revoked")


@pytest.fixture
def world(personas):
    officer = bureau_officer()
    id_number = resident_id(716)
    profile_of(personas.manager, personas.university, id_number=id_number)
    application = draft(personas.manager, personas.university)
    return personas, officer, application, id_number


def _walk(world, to):
    personas, officer, application, _id_number = world
    return advance(application, to, applicant=personas.manager,
                   employer_admin=personas.institution_admin, officer=officer)


def _notes(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind))


def _everything_said(note) -> str:
    return " ".join([note.subject, note.body, note.url, json.dumps(note.texts,
                                                                  ensure_ascii=False)])


def test_given_an_assignment_then_the_expert_alone_is_told_once_with_a_link_to_the_review(
        world, django_capture_on_commit_callbacks):
    personas, officer, application, id_number = world
    application = _walk(world, S.PANEL_REVIEW)
    panel = panel_of(application, officer)
    chosen, other = [m.expert for m in panel.memberships.order_by("pk")[:2]]
    mail.outbox.clear()
    # When the bureau assigns one member of the panel
    with django_capture_on_commit_callbacks(execute=True):
        assignment = panels.assign_reviewer(application, actor=officer, expert=chosen)
    # Then that expert has exactly one notification, pointing at their review page
    notes = _notes(chosen.user, "evaluation.review_assigned")
    assert len(notes) == 1
    note = notes[0]
    assert note.url == reverse("evaluation:review-detail", args=[assignment.pk])
    assert application.applicant.full_name in note.subject
    assert application.level.name_zh in note.texts["zh-hans"]["subject"]
    assert application.level.name_en in note.texts["en"]["subject"]
    # never the applicant's ID number, in any language
    assert id_number not in _everything_said(note) and id_number[-6:] not in \
        _everything_said(note)
    # and one e-mail, to the expert alone, once the assignment committed
    assert [m.to for m in mail.outbox] == [[chosen.user.email]]
    assert not _notes(other.user, "evaluation.review_assigned")
    assert not Notification.objects.filter(recipient=personas.manager,
                                           kind="evaluation.review_assigned").exists()
    # A second assignment tells the second expert; the first still has one
    panels.assign_reviewer(application, actor=officer, expert=other)
    assert len(_notes(chosen.user, "evaluation.review_assigned")) == 1
    assert len(_notes(other.user, "evaluation.review_assigned")) == 1


def test_given_a_refused_assignment_then_nobody_is_told(world):
    personas, officer, application, _id_number = world
    application = _walk(world, S.PANEL_REVIEW)
    panel = panel_of(application, officer)
    expert = panel.memberships.first().expert
    panels.assign_reviewer(application, actor=officer, expert=expert)
    with pytest.raises(ValidationError):
        panels.assign_reviewer(application, actor=officer, expert=expert)  # already assigned
    assert len(_notes(expert.user, "evaluation.review_assigned")) == 1


def test_given_a_return_then_the_applicant_is_told_with_the_reason_and_a_link(world):
    personas, officer, application, id_number = world
    application = _walk(world, S.SUBMITTED)
    services.return_application(application, actor=personas.institution_admin,
                                comments={"summary": "请补充合同金额。"}, reason="材料不全")
    notes = _notes(personas.manager, "evaluation.application_returned")
    assert len(notes) == 1
    assert notes[0].url == application.get_absolute_url()
    assert notes[0].body == "材料不全"
    assert id_number not in _everything_said(notes[0])
    # the employer who returned it is not told of their own step
    assert not Notification.objects.filter(recipient=personas.institution_admin,
                                           kind__startswith="evaluation.").exists()


def test_given_an_approval_then_the_applicant_is_told_the_qualification_number(world):
    personas, officer, application, _id_number = world
    application = _walk(world, S.APPROVED)
    notes = _notes(personas.manager, "evaluation.result")
    assert len(notes) == 1  # the vote passing is not yet a result; the approval is
    assert application.certificate_number in notes[0].subject
    assert application.certificate_number in notes[0].texts["en"]["subject"]
    assert "approved" in notes[0].texts["en"]["subject"]
    assert notes[0].url == application.get_absolute_url()


def test_given_a_failed_vote_then_the_applicant_is_told_it_was_not_approved(world):
    personas, officer, application, _id_number = world
    application = _walk(world, S.VOTE)
    services.record_vote(application, actor=officer, panel_size=9, members_present=9,
                         votes_for=3, votes_against=6, votes_abstain=0)
    notes = _notes(personas.manager, "evaluation.result")
    assert len(notes) == 1
    assert "not approved" in notes[0].texts["en"]["subject"]
    assert notes[0].url == application.get_absolute_url()


def test_given_an_upheld_objection_then_the_applicant_is_told_with_the_bureaus_reason(world):
    personas, officer, application, _id_number = world
    application = _walk(world, S.RESULT_NOTICE)
    objection = services.record_objection(application, actor=officer,
                                          received_on=application.result_notice_start,
                                          text="代表作系他人成果。")
    services.resolve_objection(objection, actor=officer, upheld=True, resolution="查证属实。")
    services.step_application(application, S.NOT_APPROVED, actor=officer,
                              reason="异议成立，不予通过。")
    notes = _notes(personas.manager, "evaluation.result")
    assert len(notes) == 1 and notes[0].body == "异议成立，不予通过。"
    assert "代表作系他人成果" not in _everything_said(notes[0])  # the objection stays private


def test_the_kinds_are_offered_on_the_email_preferences(personas):
    page = client_for(personas.manager).get(reverse("core:notification-preferences"))
    body = page.content.decode()
    for kind in KINDS:
        assert f'value="{kind}"' in body, kind


def test_the_kinds_exist_as_soon_as_django_has_started():
    """In a fresh interpreter (nothing of the evaluation services imported yet) the kinds are
    known: the notification list's filters and the preferences offer them from start-up."""
    code = ("import django; django.setup(); from tmhub.core.notifications import KINDS; "
            "print(sorted(k for k in KINDS if k.startswith('evaluation.')))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tmhub.test_settings"}
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, cwd=settings.BASE_DIR, check=True).stdout
    assert found.strip().splitlines()[-1] == str(sorted(KINDS))
