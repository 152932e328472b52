"""Results (issue 16 item 6): an approved title updates the manager's profile (audited) and
gets a qualification number anyone can verify; the public notice lists name, institution,
level and direction only, during the notice period; pass rates by level, direction and kind
of institution, and the institutions' figures in the metrics registry."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core import metrics
from tmhub.core.actors import SYSTEM
from tmhub.core.metrics import Period
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.roles import Role
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.services.results import pass_rates
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft
from tmhub.talent.models import ManagerProfile


@pytest.fixture
def world(personas):
    officer = bureau_officer()
    application = draft(personas.manager, personas.university)
    return personas, officer, application


def _walk(world, to, application=None):
    personas, officer, first = world
    return advance(application or first, to, applicant=(application or first).applicant.user,
                   employer_admin=personas.institution_admin, officer=officer)


def _second_applicant(personas, username="p_manager2", name="李申报"):
    user = create_user(actor=SYSTEM, username=username, password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER,
                     organization=personas.university)
    from tmhub.talent.services import create_profile

    create_profile(actor=SYSTEM, user=user, full_name=name, employer=personas.university,
                   degree="bachelor")
    return user


def test_given_an_approval_then_the_profile_has_the_title_and_it_is_audited(world):
    personas, officer, application = world
    profile = ManagerProfile.objects.get(user=personas.manager)
    assert profile.professional_title == "none"
    application = _walk(world, S.APPROVED)
    profile.refresh_from_db()
    assert profile.professional_title == "engineer"
    change = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(profile),
                                      object_id=str(profile.pk),
                                      after__professional_title="engineer")
    assert change.before["professional_title"] == "none"
    assert change.related_object_id == str(application.pk)
    assert re.fullmatch(rf"BJJJ-{application.round.year}-E\d{{5}}-[A-Z0-9]{{4}}",
                        application.certificate_number)
    event = WorkflowEvent.objects.get(object_id=str(application.pk), to_state=S.APPROVED)
    assert event.data["certificate_number"] == application.certificate_number


def _notice_running(application):
    """Time passing to the notice's first day (not a change of any step)."""
    start = application.result_notice_start
    if start > timezone.localdate():
        TitleApplication.objects.filter(pk=application.pk).update(
            result_notice_start=timezone.localdate(),
            result_notice_end=application.result_notice_end - (start - timezone.localdate()))
        application.refresh_from_db()


def test_given_the_result_notice_then_the_public_list_shows_four_facts_only(world, client):
    personas, officer, application = world
    application = _walk(world, S.RESULT_NOTICE)
    # The notice begins on the first working day from today: on a weekend or a holiday that
    # is a later day, and the list shows it from then on.
    _notice_running(application)
    body = client.get(reverse("evaluation:notice-list")).content.decode()
    assert application.applicant.full_name in body and personas.university.name in body
    assert application.level.name_zh in body
    assert application.summary not in body  # nothing of the dossier
    assert "专家" not in body  # nor the reviewers
    filtered = client.get(reverse("evaluation:notice-list") + "?level=senior_engineer")
    assert application.applicant.full_name not in filtered.content.decode()
    # once the notice ended, it is no longer listed
    from tmhub.evaluation.tests.helpers import _end_notice

    _end_notice(application, "result_notice")
    body = client.get(reverse("evaluation:notice-list")).content.decode()
    assert application.applicant.full_name not in body


def test_given_an_approved_title_then_anyone_verifies_it_and_guesses_fail(world, client):
    personas, officer, application = world
    application = _walk(world, S.APPROVED)
    number = application.certificate_number
    page = client.get(reverse("evaluation:title-verify", args=[number.lower()]))
    assert page.status_code == 200 and application.applicant.full_name in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex"
    for guess in (number[:-1] + ("A" if number[-1] != "A" else "C"), "x" * 60, "a\x00b"):
        assert client.get(reverse("evaluation:title-verify", args=[guess])).status_code == 404
    lookup = client.get(reverse("evaluation:title-lookup"), {"number": f" {number} "})
    assert lookup.status_code == 302
    api = client.get(f"/api/v1/title-certificates/verify/{number}/")
    assert api.status_code == 200 and api.json()["result"] == "valid"
    assert api.json()["holder_name"] == application.applicant.full_name
    assert client.get("/api/v1/title-certificates/verify/BJJJ-0000-E00000-AAAA/").status_code \
        == 404


def test_given_results_then_pass_rates_count_approved_over_decided(world):
    personas, officer, first = world
    _walk(world, S.APPROVED)
    other = _second_applicant(personas)
    second = draft(other, personas.university)
    second = _walk(world, S.VOTE, second)
    services.record_vote(second, actor=officer, panel_size=9, members_present=9, votes_for=3,
                         votes_against=6, votes_abstain=0)
    period = Period.year(timezone.localdate().year)
    from tmhub.evaluation.models import TitleApplication

    rates = pass_rates(TitleApplication.objects.all(), period)
    engineer = next(r for r in rates["level"] if r.key == "engineer")
    assert (engineer.decided, engineer.approved, str(engineer.rate)) == (2, 1, "50.0")
    assert next(r for r in rates["level"] if r.key == "senior_engineer").rate is None
    university = next(r for r in rates["institution_kind"] if r.key == "university")
    assert (university.decided, university.approved) == (2, 1)
    assert metrics.get("title_applications_decided").values(
        [personas.university.pk, personas.hospital.pk], period) == {
        personas.university.pk: 2, personas.hospital.pk: 0}
    assert metrics.get("title_applications_approved").values(
        [personas.university.pk], period) == {personas.university.pk: 1}
    page = client_for(officer).get(reverse("evaluation:pass-rates"))
    assert page.status_code == 200 and 'data-rate="50.0"' in page.content.decode()
    for user in (personas.manager, personas.institution_admin, personas.reviewer, None):
        assert client_for(user).get(reverse("evaluation:pass-rates")).status_code == 404
    assert client_for(personas.municipal_admin).get(
        reverse("evaluation:pass-rates")).status_code == 200


def test_given_titles_under_notice_then_the_list_counts_them_and_names_its_columns(
        world, client):
    """The public notice says how many it lists (it said 0 under a full table), heads the
    person's column 姓名 (not 名称) and offers every level and direction by name."""
    personas, officer, application = world
    application = _walk(world, S.RESULT_NOTICE)
    _notice_running(application)
    body = client.get(reverse("evaluation:notice-list")).content.decode()
    assert "共 1 条记录" in body
    assert "<th>姓名</th>" in body and "<th>名称</th>" not in body
    assert "全部级别" in body and "全部评审方向" in body
