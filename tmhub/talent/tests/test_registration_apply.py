"""申请入库 in one step: a complete profile is submitted at once; an incomplete one is told
exactly which required fields are missing (UI with links, API with field-level codes), and
every field the submit check requires is required on the profile form."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from tmhub.core.models import WorkflowEvent
from tmhub.talent import registration as reg
from tmhub.talent import services
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.forms import ProfileForm
from tmhub.talent.models import ManagerRegistration
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db


def _incomplete(personas):
    """A profile without a work district, a bio or industry fields."""
    return make_profile(
        personas.manager, employer=personas.university, district=None, bio="", fields=()
    )


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# ---------------------------------------------------------------- the service
def test_a_complete_profile_is_submitted_in_one_step(personas):
    # Given a complete profile and no registration
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    # When the manager applies
    registration = reg.apply_for_registration(
        actor=personas.manager, profile=profile, statement="申请入库"
    )
    # Then the registration exists, submitted, with its statement and the submission event
    assert registration.status == S.SUBMITTED
    assert registration.statement == "申请入库"
    assert registration.submitted_at is not None
    assert (
        WorkflowEvent.objects.filter(object_id=str(registration.pk), to_state=S.SUBMITTED).count()
        == 1
    )
    assert reg.confirmation(registration, S.DRAFT) in (
        "Submitted: waiting for your employer's endorsement.",
        "已提交，等待单位推荐。",
    )


def test_an_incomplete_profile_is_refused_with_every_missing_field_and_nothing_created(personas):
    profile = _incomplete(personas)
    with pytest.raises(ValidationError) as exc:
        reg.apply_for_registration(actor=personas.manager, profile=profile)
    errors = exc.value.error_dict
    assert set(errors) == {"work_district", "bio", "fields"}
    assert {e.code for items in errors.values() for e in items} == {"required"}
    assert ManagerRegistration.objects.count() == 0


def test_a_draft_or_returned_registration_is_submitted_by_applying_again(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    draft = reg.start_registration(actor=personas.manager, profile=profile)
    registration = reg.apply_for_registration(actor=personas.manager, profile=profile)
    assert registration.pk == draft.pk and registration.status == S.SUBMITTED
    # Once submitted, applying again is refused: it is in the employer's hands.
    with pytest.raises(ValidationError) as exc:
        reg.apply_for_registration(actor=personas.manager, profile=profile)
    assert exc.value.code == "registration_exists"


def test_someone_who_may_not_submit_is_refused_before_anything_is_created(personas):
    # The city may edit the profile but the application is the applicant's (or employer's).
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    with pytest.raises(ValidationError) as exc:
        reg.apply_for_registration(actor=personas.municipal_admin, profile=profile)
    assert exc.value.code == "transition_forbidden"
    assert ManagerRegistration.objects.count() == 0


# ---------------------------------------------------------------- the form
def test_every_field_the_submit_check_requires_is_required_on_the_form(personas):
    # Given a profile that meets none of the requirements (no ID number stored either)
    profile = services.create_profile(
        actor=personas.manager,
        user=personas.manager,
        full_name="张伟",
        employer=personas.university,
    )
    checked = {name for name, _label, _message in reg.missing_fields(profile)}
    assert checked == set(reg.SUBMIT_REQUIRED_FIELDS)
    # Then each of them is a required field of the profile form, and marked so on the page
    form = ProfileForm(instance=profile)
    for name in checked:
        assert form.fields[name].required, name
    page = client_for(personas.manager).get(reverse("talent:manager-edit", args=[profile.pk]))
    html = page.content.decode()
    for name in checked:
        label = f'for="id_{name}' if name not in ("fields", "competences") else f'name="{name}"'
        assert label in html
    assert html.count('<span class="text-danger">*</span>') >= len(checked)


def test_a_stored_id_number_may_be_kept_on_the_form(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    assert not ProfileForm(instance=profile).fields["id_number"].required
    assert ProfileForm().fields["id_number"].required


# ---------------------------------------------------------------- the pages
def test_apply_page_lists_missing_fields_with_links_and_creates_nothing(personas):
    profile = _incomplete(personas)
    client = client_for(personas.manager)
    # Before clicking, the profile page already says what is missing, with links to the form
    page = client.get(profile.get_absolute_url()).content.decode()
    edit = reverse("talent:manager-edit", args=[profile.pk])
    for name in ("work_district", "bio", "fields"):
        assert f'href="{edit}#id_{name}"' in page
    # When the manager clicks 申请入库 anyway
    response = client.post(
        reverse("talent:registration-start", args=[profile.pk]), {"statement": "申请"}
    )
    # Then the page lists exactly the missing fields and nothing was created
    assert response.status_code == 200
    missing = {name for name, _l, _m in response.context["missing"]}
    assert missing == {"work_district", "bio", "fields"}
    assert "尚未提交" in response.content.decode()
    assert ManagerRegistration.objects.count() == 0


def test_apply_page_submits_a_complete_profile_and_says_so(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    client = client_for(personas.manager)
    response = client.post(
        reverse("talent:registration-start", args=[profile.pk]), {"statement": "申请"}, follow=True
    )
    registration = ManagerRegistration.objects.get()
    assert registration.status == S.SUBMITTED
    assert response.redirect_chain[-1][0] == registration.get_absolute_url()
    assert "已提交，等待单位推荐" in response.content.decode()


def test_english_confirmation(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    client = client_for(personas.manager)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("talent:registration-start", args=[profile.pk]), {}, follow=True)
    assert "Submitted: waiting for your employer&#x27;s endorsement." in (response.content.decode())


# ---------------------------------------------------------------- the API
def test_api_submits_in_one_step(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    response = _api(personas.manager).post(
        reverse("registration-list"), {"profile": profile.pk, "submit": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == S.SUBMITTED


def test_api_answers_the_missing_fields_with_codes(personas):
    profile = _incomplete(personas)
    response = _api(personas.manager).post(
        reverse("registration-list"), {"profile": profile.pk, "submit": True}, format="json"
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"work_district", "bio", "fields"}
    assert all(item["code"] == "required" for items in fields.values() for item in items)
    assert ManagerRegistration.objects.count() == 0


def test_api_submit_step_answers_the_same_codes(personas):
    profile = _incomplete(personas)
    draft = reg.start_registration(actor=personas.manager, profile=profile)
    response = _api(personas.manager).post(
        reverse("registration-transition", args=[draft.pk]), {"target": "submitted"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["bio"][0]["code"] == "required"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
