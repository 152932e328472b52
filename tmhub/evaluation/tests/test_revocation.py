"""Revocation of an approved title (issue 16): the bureau revokes it with a required reason,
after a confirmation, for good; it is audited and the applicant told; the verification page
then says the number was revoked and when; the manager's profile loses the title the approval
gave it unless another approved title still justifies it. Anyone else is refused as if the
application did not exist."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.core.models import Notification, ObjectChange, WorkflowEvent
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication, TitleDirection, TitleLevel
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.services import results
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft, open_round
from tmhub.talent.models import ManagerProfile

REASON = "获评后发现代表作材料造假。"


@pytest.fixture
def world(personas):
    officer = bureau_officer()
    application = draft(personas.manager, personas.university)
    application = advance(application, S.APPROVED, applicant=personas.manager,
                          employer_admin=personas.institution_admin, officer=officer)
    return personas, officer, application


def _profile(personas):
    return ManagerProfile.objects.get(user=personas.manager)


def _page(application):
    return reverse("evaluation:application-revoke", args=[application.pk])


def _api(application):
    return f"/api/v1/title-applications/{application.pk}/revoke/"


def _status(application):
    return TitleApplication.objects.get(pk=application.pk).status


def test_given_the_bureau_when_it_confirms_a_revocation_then_the_title_is_revoked_for_good(
        world):
    personas, officer, application = world
    assert _profile(personas).professional_title == "engineer"
    client = client_for(officer)
    # The application offers the step to the bureau, on its own page that asks first
    detail = client.get(application.get_absolute_url()).content.decode()
    assert 'id="revoke-title"' in detail
    page = client.get(_page(application))
    form = re.search(r'<form[^>]*id="revoke-form"[^>]*>', page.content.decode())
    assert page.status_code == 200 and form and "data-confirm=" in form.group(0)
    # When the officer gives the reason and confirms
    response = client.post(_page(application), {"reason": REASON})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.REVOKED
    assert application.revoked_by == officer and application.revocation_reason == REASON
    assert timezone.localtime(application.revoked_at).date() == timezone.localdate()
    # Then it is audited as a step with the reason
    event = WorkflowEvent.objects.get(object_id=str(application.pk), to_state=S.REVOKED)
    assert event.from_state == S.APPROVED and event.reason == REASON
    assert event.actor == officer
    assert event.data["certificate_number"] == application.certificate_number
    # the applicant is told, with the reason and a link to the application
    note = Notification.objects.get(recipient=personas.manager,
                                    kind="evaluation.title_revoked")
    assert application.certificate_number in note.subject and note.body == REASON
    assert note.url == application.get_absolute_url()
    # and the applicant reads the revocation on their application
    mine = client_for(personas.manager).get(application.get_absolute_url()).content.decode()
    assert 'id="revocation"' in mine and REASON in mine and 'id="revoke-title"' not in mine
    # For good: no step leaves a revoked title, and the page is no longer offered
    from tmhub.evaluation.workflows import APPLICATION_WORKFLOW

    assert APPLICATION_WORKFLOW.is_final(S.REVOKED)
    assert client.get(_page(application)).status_code == 404
    assert client.post(_api(application), {"reason": REASON},
                       content_type="application/json").status_code == 400


@pytest.mark.parametrize("who", ["institution_admin", "manager", "reviewer",
                                 "assigned_reviewer", "municipal_admin", "anonymous"])
def test_given_anyone_but_the_bureau_then_the_revocation_is_refused_as_missing(world, who):
    personas, officer, application = world
    if who == "assigned_reviewer":
        # an expert who reviewed this application: they read it, yet may not revoke it
        user = application.assignments.first().expert.user
    else:
        user = None if who == "anonymous" else getattr(personas, who)
    client = client_for(user)
    get, post = client.get(_page(application)), client.post(_page(application),
                                                            {"reason": REASON})
    api = client.post(_api(application), {"reason": REASON}, content_type="application/json")
    if user is None:
        assert get.status_code == post.status_code == 302  # sent to sign in
        assert "/accounts/login/" in get["Location"]
        assert api.status_code == 401
    else:
        assert (get.status_code, post.status_code, api.status_code) == (404, 404, 404)
        assert 'id="revoke-title"' not in client.get(
            application.get_absolute_url()).content.decode()
    # and nothing changed
    assert _status(application) == S.APPROVED
    assert not WorkflowEvent.objects.filter(object_id=str(application.pk),
                                            to_state=S.REVOKED).exists()
    assert _profile(personas).professional_title == "engineer"
    if user is not None:
        with pytest.raises(Http404):
            results.revoke_title(application, actor=user, reason=REASON)


def test_given_no_reason_then_nothing_is_revoked_and_the_reason_field_says_why(world):
    personas, officer, application = world
    client = client_for(officer)
    page = client.post(_page(application), {"reason": "   "})
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert page.context["form"].errors["reason"]
    api = client.post(_api(application), {}, content_type="application/json")
    assert api.status_code == 400 and "reason" in api.json()["fields"]
    blank = client.post(_api(application), {"reason": " "}, content_type="application/json")
    assert blank.status_code == 400 and "reason" in blank.json()["fields"]
    with pytest.raises(ValidationError) as refused:
        results.revoke_title(application, actor=officer, reason="  ")
    assert refused.value.error_dict["reason"][0].code == "reason_required"
    assert _status(application) == S.APPROVED
    assert _profile(personas).professional_title == "engineer"
    assert not Notification.objects.filter(kind="evaluation.title_revoked").exists()


def test_given_a_revoked_title_then_the_verification_page_says_revoked_with_the_date(world,
                                                                                     client):
    personas, officer, application = world
    number = application.certificate_number
    results.revoke_title(application, actor=officer, reason=REASON)
    page = client.get(reverse("evaluation:title-verify", args=[number]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-result="revoked"' in body
    assert 'data-result="valid"' not in body
    today = timezone.localdate().isoformat()
    assert re.search(rf'id="verified-revoked">{today}<', body)
    assert application.applicant.full_name in body
    assert REASON not in body  # never why
    api = client.get(f"/api/v1/title-certificates/verify/{number}/")
    assert api.status_code == 200
    assert (api.json()["result"], api.json()["revoked_on"]) == ("revoked", today)
    assert REASON not in api.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("evaluation:title-verify", args=[number])).content.decode()
    assert "This title has been revoked." in english and "Revoked on" in english


def _grant_change(profile, application):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(profile), object_id=str(profile.pk),
        related_object_id=str(application.pk),
        related_content_type=ContentType.objects.get_for_model(application)).order_by("time",
                                                                                      "id")


def test_given_a_revocation_then_the_profile_gets_back_the_title_it_had_and_it_is_audited(
        world):
    personas, officer, application = world
    profile = _profile(personas)
    results.revoke_title(application, actor=officer, reason=REASON)
    profile.refresh_from_db()
    assert profile.professional_title == "none"
    grant, restore = _grant_change(profile, application)
    assert (grant.before["professional_title"], grant.after["professional_title"]) == \
        ("none", "engineer")
    assert (restore.before["professional_title"], restore.after["professional_title"]) == \
        ("engineer", "none")
    assert restore.actor == officer


def _second_title(personas, officer, *, direction="research", level="engineer", **values):
    """A second application of the same manager, in next year's round (another direction),
    walked to approval."""
    round_ = open_round(timezone.localdate().year + 1)
    second = services.create_application(
        actor=personas.manager, round=round_, level=TitleLevel.objects.get(code=level),
        direction=TitleDirection.objects.get(code=direction), education="bachelor",
        years_since_education=values.get("years", 6),
        current_title=values.get("current_title"),
        years_in_current_title=values.get("years_in_title", 0),
        summary="负责技术转移转化研究。")
    return advance(second, S.APPROVED, applicant=personas.manager,
                   employer_admin=personas.institution_admin, officer=officer)


def test_given_another_approved_title_of_the_level_then_the_profile_keeps_it(world):
    personas, officer, first = world
    second = _second_title(personas, officer)
    assert _profile(personas).professional_title == "engineer"
    results.revoke_title(first, actor=officer, reason=REASON)
    # the second title still justifies the engineer title on the profile
    assert _profile(personas).professional_title == "engineer"
    assert len(_grant_change(_profile(personas), first)) == 1  # no restoring change
    # and revoking the second one too takes it back to what it was before the first
    results.revoke_title(second, actor=officer, reason=REASON)
    assert _profile(personas).professional_title == "engineer"  # second never raised it
    assert TitleApplication.objects.filter(applicant__user=personas.manager,
                                           status=S.REVOKED).count() == 2


def test_given_a_profile_raised_since_by_a_higher_title_then_the_revocation_leaves_it(world):
    personas, officer, first = world
    higher = _second_title(personas, officer, direction="operation", level="senior_engineer",
                           current_title=TitleLevel.objects.get(code="engineer"),
                           years=10, years_in_title=5)
    assert higher.status == S.APPROVED
    assert _profile(personas).professional_title == "senior_engineer"
    results.revoke_title(first, actor=officer, reason=REASON)
    assert _profile(personas).professional_title == "senior_engineer"


def test_given_a_revoked_title_then_it_is_not_on_the_public_notice_list(world, client):
    personas, officer, application = world
    results.revoke_title(application, actor=officer, reason=REASON)
    # even were its notice period to cover today
    today = timezone.localdate()
    TitleApplication.objects.filter(pk=application.pk).update(
        result_notice_start=today - datetime.timedelta(days=1),
        result_notice_end=today + datetime.timedelta(days=1))
    assert application.pk not in set(results.public_notices().values_list("pk", flat=True))
    body = client.get(reverse("evaluation:notice-list")).content.decode()
    assert application.applicant.full_name not in body


def test_given_the_api_then_the_bureau_revokes_with_a_reason(world):
    personas, officer, application = world
    client = client_for(officer)
    before = client.get(f"/api/v1/title-applications/{application.pk}/").json()
    assert "revoked" in before["allowed_steps"]
    answer = client.post(_api(application), {"reason": REASON},
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["status"], data["revocation_reason"]) == ("revoked", REASON)
    assert data["revoked_at"] and data["allowed_steps"] == []
    assert _profile(personas).professional_title == "none"
    # the generic transition does not take a step that has its own action
    other = draft(_other_manager(personas), personas.university)
    other = advance(other, S.RESULT_NOTICE, applicant=other.applicant.user,
                    employer_admin=personas.institution_admin, officer=officer)
    refused = client.post(_api(other), {"reason": REASON}, content_type="application/json")
    assert refused.status_code == 400  # only an approved title is revoked
    assert _status(other) == S.RESULT_NOTICE


def _other_manager(personas):
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role

    user = create_user(actor=SYSTEM, username="p_manager_rev", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER,
                     organization=personas.university)
    return user


def test_given_a_revocation_then_the_figures_of_the_decisions_stand(world):
    """A revoked title was approved when it was decided: the year's pass rate and the titles
    approved are not rewritten."""
    personas, officer, application = world
    period = Period.year(timezone.localdate().year)
    before = (metrics.get("title_applications_approved").values([personas.university.pk],
                                                                 period),
              metrics.get("title_applications_decided").values([personas.university.pk],
                                                                period))
    results.revoke_title(application, actor=officer, reason=REASON)
    after = (metrics.get("title_applications_approved").values([personas.university.pk],
                                                                period),
             metrics.get("title_applications_decided").values([personas.university.pk],
                                                               period))
    assert before == after == ({personas.university.pk: 1}, {personas.university.pk: 1})
    rates = results.pass_rates(TitleApplication.objects.all(), period)
    engineer = next(r for r in rates["level"] if r.key == "engineer")
    assert (engineer.decided, engineer.approved) == (1, 1)
