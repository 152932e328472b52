"""The talent policies: one rule per question, asked by views, API, exports and services alike;
workflow-owned statuses; the filing rule table."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.services import create_user
from tmhub.core import policies
from tmhub.core.actors import SYSTEM
from tmhub.core.rules import RuleMissing
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.core.workflow import ProtectedStatusError, TransitionError
from tmhub.talent import filing, services
from tmhub.talent.choices import FilingStatus
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import AnnualFiling, FilingPolicy, ManagerProfile, ManagerRegistration
from tmhub.talent.policies import PUBLIC_PROFILE_FIELDS, VIEW_PRIVATE
from tmhub.talent.tests.helpers import make_profile, register, resident_id

pytestmark = pytest.mark.django_db


def _people(personas):
    return {name: getattr(personas, name) for name in PERSONA_NAMES if name != "anonymous"}


@pytest.fixture
def profiles(personas):
    """Managers at the university (Haidian), at a Chaoyang hospital, and independent."""
    ours = make_profile(personas.manager, employer=personas.university, district=personas.haidian)
    register(ours, employer_admin=personas.institution_admin, municipal=personas.municipal_admin)
    hospital = make_profile(
        employer=personas.hospital,
        district=personas.chaoyang,
        id_number=resident_id(821),
        name="医院经理人",
    )
    independent = make_profile(
        employer=None, district=None, id_number=resident_id(822), name="独立经理人"
    )
    return [ours, hospital, independent]


def test_the_oversight_rule_gives_the_same_answer_for_rows_and_for_a_loaded_row(personas, profiles):
    # The rows a persona may read privately, and the check made on each loaded row (API
    # pages, exports), come from one rule: they must agree for everyone.
    for name, user in _people(personas).items():
        rows = set(ManagerProfile.objects.restrict(user, VIEW_PRIVATE).values_list("pk", flat=True))
        for profile in ManagerProfile.objects.select_related("employer"):
            assert policies.allows(user, "view_private", profile) == (profile.pk in rows), (
                name,
                profile.full_name,
            )


def test_fields_each_persona_reads_of_a_listed_profile(personas, profiles):
    ours = ManagerProfile.objects.select_related("employer").get(pk=profiles[0].pk)
    # the city, the education department (universities), Haidian, the university, themself
    private = {
        "municipal_admin",
        "department_officer",
        "district_officer",
        "institution_admin",
        "manager",
    }
    for name, user in _people(personas).items():
        shown = policies.visible_fields(user, ours)
        if name in private:
            assert {"phone", "email", "id_number_masked"} <= shown, name
        else:
            assert shown == PUBLIC_PROFILE_FIELDS, name
        assert not shown & {"id_number_encrypted", "id_number_digest", "search_text"}, name
    assert policies.visible_fields(None, ours) == PUBLIC_PROFILE_FIELDS


def test_a_profile_is_created_for_oneself_for_ones_institution_or_by_the_city(personas):
    newcomer = create_user(actor=SYSTEM, username="t_newcomer", password=None)
    # Nobody creates a profile for someone else outside their institution
    for actor in (personas.outsider, personas.district_officer, personas.manager):
        with pytest.raises(Http404):
            services.create_profile(
                actor=actor, user=newcomer, full_name="新人", employer=personas.university
            )
    with pytest.raises(Http404):
        services.create_profile(
            actor=personas.institution_admin,
            user=newcomer,
            full_name="新人",
            employer=personas.other_university,
        )
    assert not ManagerProfile.objects.filter(user=newcomer).exists()
    services.create_profile(
        actor=personas.institution_admin,
        user=newcomer,
        full_name="新人",
        employer=personas.university,
    )
    with pytest.raises(ImproperlyConfigured):  # no actor is a programming error
        services.create_profile(actor=None, user=personas.outsider, full_name="x")


def test_services_refuse_steps_the_policy_refuses(personas, profiles):
    ours = profiles[0]
    with pytest.raises(Http404):
        services.update_profile(ours, actor=personas.district_officer, bio="改")
    with pytest.raises(Http404):
        services.update_profile(ours, actor=personas.outsider, bio="改")
    ours.refresh_from_db()
    assert ours.bio != "改"
    with pytest.raises(ValidationError) as refused:
        services.reveal_id_number(ours, actor=personas.institution_admin, reason="看看")
    assert refused.value.code == "reveal_forbidden"
    with pytest.raises(Http404):
        filing.open_filings(2024, actor=personas.institution_admin)
    assert not AnnualFiling.objects.exists()


def test_only_the_overseers_file_and_a_viewer_may_not(personas, profiles):
    filing.open_filings(2024, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration__profile=profiles[0])
    with pytest.raises(Http404):
        filing.submit_filing(item, actor=personas.outsider, figures={})
    # the district officer sees the filing but does not file it
    with pytest.raises(TransitionError) as refused:
        filing.submit_filing(item, actor=personas.district_officer, figures={})
    assert refused.value.code == "transition_forbidden"
    item.refresh_from_db()
    assert item.status == FilingStatus.OPEN
    client = client_for(personas.district_officer)
    page = client.get(reverse("talent:filing-detail", args=[item.pk])).content.decode()
    assert 'id="filing-form"' not in page
    page = (
        client_for(personas.manager)
        .get(reverse("talent:filing-detail", args=[item.pk]))
        .content.decode()
    )
    assert 'id="filing-form"' in page and 'data-target="submitted"' in page


# ---------------------------------------------------------------- workflow-owned statuses
def test_a_status_moves_only_through_its_workflow(personas, profiles):
    registration = ManagerRegistration.objects.get(profile=profiles[0])
    registration.status = S.SUSPENDED
    with pytest.raises(ProtectedStatusError):
        registration.save()
    filing.open_filings(2024, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration=registration)
    item.status = FilingStatus.SUBMITTED
    with pytest.raises(ProtectedStatusError):
        item.save()
    assert ManagerRegistration.objects.get(pk=registration.pk).status == S.REGISTERED


def test_the_registration_page_offers_the_steps_the_workflow_gives_each_persona(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    submitted = register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.SUBMITTED,
    )
    url = reverse("talent:registration-detail", args=[submitted.pk])
    page = client_for(personas.institution_admin).get(url).content.decode()
    assert 'data-target="endorsed"' in page and 'id="return-form"' in page
    page = client_for(personas.manager).get(url).content.decode()
    assert "data-target=" not in page
    page = client_for(personas.district_officer).get(url).content.decode()
    assert "data-target=" not in page
    # The API offers the same steps
    api = reverse("registration-detail", args=[submitted.pk])
    steps = client_for(personas.institution_admin).get(api).json()["steps"]
    assert {s["target"] for s in steps} == {S.ENDORSED, S.RETURNED}
    assert [s for s in steps if s["target"] == S.RETURNED][0]["needs_reason"]
    assert client_for(personas.manager).get(api).json()["steps"] == []


def test_an_incomplete_draft_shows_why_it_cannot_be_submitted(personas):
    from tmhub.talent import registration as reg

    profile = make_profile(personas.manager, employer=personas.university, district=None, bio="")
    draft = reg.start_registration(actor=personas.manager, profile=profile)
    page = (
        client_for(personas.manager)
        .get(reverse("talent:registration-detail", args=[draft.pk]))
        .content.decode()
    )
    assert 'data-target="submitted" disabled' in page
    assert "blocked-reasons" in page


# ---------------------------------------------------------------- the filing rule table
def test_the_filing_deadline_comes_from_the_rule_in_force_not_from_code():
    for name in ("due_month", "due_day", "grace_days"):
        assert not FilingPolicy._meta.get_field(name).has_default(), name
    seeded = FilingPolicy.objects.current(datetime.date(2025, 1, 1))
    assert (seeded.due_month, seeded.due_day, seeded.grace_days) == (3, 31, 90)
    assert not seeded.confirmed  # the legal basis names no date: flagged provisional
    assert filing.due_date_for(2024) == datetime.date(2025, 3, 31)
    with pytest.raises(RuleMissing):
        FilingPolicy.objects.current(datetime.date(2021, 6, 1))
    # a new rule from a later date changes later deadlines only
    FilingPolicy.objects.create(
        effective_from=datetime.date(2030, 1, 1),
        due_month=4,
        due_day=30,
        grace_days=60,
        legal_basis="测试",
    )
    assert filing.due_date_for(2029) == datetime.date(2030, 4, 30)
    assert filing.due_date_for(2024) == datetime.date(2025, 3, 31)
