"""Input a clerk would never accept (issue 11 item 7), the platform-wide part: phone numbers
are checked by libphonenumber and stored in E.164, every free text has a maximum length that
the model itself enforces, and the base page carries the live length counter."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.fields import PhoneField, normalize_stored_phones
from tmhub.core.templatetags.tmhub import phone as phone_filter
from tmhub.core.validators import format_phone, normalize_phone, validate_phone
from tmhub.orgs import services
from tmhub.orgs.models import Organization

# Free text that is not typed by people: ciphertext, a search index, the audit log's copies.
UNLIMITED_TEXT = {
    ("talent", "managerprofile", "id_number_encrypted"),
    ("talent", "managerprofile", "search_text"),
    ("transfer", "achievement", "search_text"),
    ("transfer", "demand", "search_text"),
    ("core", "workflowevent", "reason"),
    ("core", "notification", "body"),
    ("core", "personaldataaccess", "reason"),  # the access log's copy of a reveal's reason
}


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("13812345678", "+8613812345678"),
        ("138 1234 5678", "+8613812345678"),
        ("010-62751234", "+861062751234"),
        ("(010)6275 1234", "+861062751234"),
        ("0086 138 1234 5678", "+8613812345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+1 202-555-0143", "+12025550143"),
    ],
)
def test_mainland_and_international_numbers_are_accepted_and_normalised(typed, stored):
    validate_phone(typed)
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "010-1234", "call me", "1381234567", "95588", "+86 12 3456", "020-0000"]
)
def test_what_is_not_a_phone_number_is_refused_with_its_code(typed):
    with pytest.raises(ValidationError) as caught:
        validate_phone(typed)
    assert caught.value.code == "invalid_phone"
    assert normalize_phone(typed) == typed.strip()  # left as typed for the message


def test_numbers_are_shown_as_people_dial_them():
    assert format_phone("+861062751234") == "010 6275 1234"
    assert format_phone("+8613812345678") == "138 1234 5678"
    assert format_phone("+442079460958") == "+44 20 7946 0958"
    assert str(phone_filter("+861062751234")) == '<a href="tel:+861062751234">010 6275 1234</a>'
    assert phone_filter("010-1<b>") == "010-1<b>"  # a plain string: the template escapes it


def test_every_phone_field_is_a_phone_field():
    loose = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("tmhub.")
        for field in model._meta.get_fields()
        if "phone" in field.name and not isinstance(field, PhoneField)
    ]
    assert loose == []


def test_every_free_text_has_a_limit():
    # Given every TextField of the platform's models, but text no person types
    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("tmhub.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.max_length is None
        and (model._meta.app_label, model._meta.model_name, field.name) not in UNLIMITED_TEXT
    ]
    # Then each has a maximum length (forms show it as maxlength, the API derives it)
    assert unlimited == []


@pytest.mark.django_db
def test_a_limited_text_is_refused_by_the_model_itself(personas):
    limit = Organization._meta.get_field("description").max_length
    with pytest.raises(ValidationError) as caught:
        services.update_organization(
            personas.university, actor=SYSTEM, description="长" * (limit + 1)
        )
    assert [e.code for e in caught.value.error_dict["description"]] == ["max_length"]


@pytest.mark.django_db
def test_a_saved_number_is_stored_in_e164(personas):
    organization = services.update_organization(
        personas.university, actor=SYSTEM, contact_phone="010 6278 1234"
    )
    assert organization.contact_phone == "+861062781234"
    assert Organization.objects.get(pk=organization.pk).contact_phone == "+861062781234"


@pytest.mark.django_db
def test_the_migration_normalises_what_parses_and_the_admin_lists_the_rest(personas):
    # Given numbers stored before they were checked (written past the service, as old rows)
    Organization.objects.filter(pk=personas.university.pk).update(contact_phone="010-62781234")
    Organization.objects.filter(pk=personas.hospital.pk).update(contact_phone="转总机")
    # When the data migration's step runs
    normalize_stored_phones("orgs", "organization", "contact_phone")(apps, None)
    # Then what parses is in E.164 and what does not is left as it was
    assert Organization.objects.get(pk=personas.university.pk).contact_phone == "+861062781234"
    assert Organization.objects.get(pk=personas.hospital.pk).contact_phone == "转总机"
    # and the admin's phone filter lists exactly the unreadable one
    model_admin = admin.site._registry[Organization]
    request = RequestFactory().get("/", {"contact_phone_check": "invalid"})
    request.user = personas.municipal_admin
    phone_filter_class = next(f for f in model_admin.list_filter if not isinstance(f, str))
    chosen = phone_filter_class(
        request, {"contact_phone_check": ["invalid"]}, Organization, model_admin
    )
    rows = chosen.queryset(request, Organization.objects.all())
    assert list(rows.values_list("name", flat=True)) == ["测试医院"]


@pytest.mark.django_db
def test_forms_carry_the_limit_and_the_page_loads_the_counter(personas):
    page = (
        client_for(personas.institution_admin)
        .get(f"/orgs/{personas.university.pk}/edit/")
        .content.decode()
    )
    assert 'maxlength="2000"' in page  # the description's limit, read by the counter
    assert 'type="tel"' in page
    assert "/static/core/charcount.js" in page
