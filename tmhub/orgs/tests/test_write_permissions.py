"""An organisation's identity (legal name, kind, credit code) changes only through the city,
and registering an organisation one does not administer reads like a missing one."""

import json

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.choices import OrgKind
from tmhub.core.models import ObjectChange
from tmhub.orgs import services
from tmhub.orgs.models import InstitutionRegistration, Organization

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321


def _code(exc):
    return next(iter(exc.error_dict.values()))[0].code


@pytest.mark.parametrize("change", [
    {"kind": OrgKind.ENTERPRISE},
    {"name": "改名大学"},
    {"credit_code": "91110108MA01ABCD1X"},
    {"credit_code": ""},
])
def test_only_the_city_changes_an_organisations_identity(personas, change):
    from django.core.exceptions import ValidationError

    before = Organization.objects.get(pk=personas.university.pk)
    changes = ObjectChange.objects.count()
    for user in (personas.institution_admin, personas.department_officer):
        with pytest.raises(ValidationError) as caught:
            services.update_organization(personas.university, actor=user, **change)
        assert _code(caught.value) == "city_only"
    after = Organization.objects.get(pk=personas.university.pk)
    assert (after.name, after.kind, after.credit_code) == (
        before.name, before.kind, before.credit_code)
    assert ObjectChange.objects.count() == changes


def test_the_city_changes_it_and_others_still_edit_the_rest(personas):
    services.update_organization(personas.university, actor=personas.institution_admin,
                                 kind=OrgKind.UNIVERSITY, name="测试大学",
                                 website="https://www.test.edu.cn")
    services.update_organization(personas.university, actor=personas.municipal_admin,
                                 kind=OrgKind.RESEARCH_INSTITUTE)
    university = Organization.objects.get(pk=personas.university.pk)
    assert university.website == "https://www.test.edu.cn"
    assert university.kind == OrgKind.RESEARCH_INSTITUTE


def test_the_api_refuses_a_kind_change_by_the_institution(personas):
    url = reverse("organization-detail", args=[personas.university.pk])
    response = client_for(personas.institution_admin).patch(
        url, {"kind": "enterprise"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"]["kind"][0]["code"] == "city_only"
    assert Organization.objects.get(pk=personas.university.pk).kind == OrgKind.UNIVERSITY


def test_the_form_shows_identity_read_only_and_ignores_a_posted_change(personas):
    client = client_for(personas.institution_admin)
    url = reverse("orgs:organization-edit", args=[personas.university.pk])
    form = client.get(url).context["form"]
    assert all(form.fields[name].disabled for name in ("name", "kind", "credit_code"))
    assert not client_for(personas.municipal_admin).get(url).context["form"].fields[
        "kind"].disabled
    response = client.post(url, {"name": "改名大学", "kind": "enterprise",
                                 "credit_code": "", "district": personas.haidian.pk,
                                 "website": "https://www.test.edu.cn"})
    assert response.status_code == 302
    university = Organization.objects.get(pk=personas.university.pk)
    assert (university.name, university.kind) == ("测试大学", OrgKind.UNIVERSITY)
    assert university.credit_code == "12110000400000017P"
    assert university.website == "https://www.test.edu.cn"


def test_editing_another_organisation_is_refused_by_the_service(personas):
    from django.http import Http404

    with pytest.raises(Http404):
        services.update_organization(personas.other_university, actor=personas.institution_admin,
                                     website="https://evil.example.cn")
    assert Organization.objects.get(pk=personas.other_university.pk).website == ""


def test_registering_another_organisation_reads_like_a_missing_one(personas):
    client = client_for(personas.institution_admin)
    url = reverse("institution-registration-list")
    payload = {"premises_address": "朝阳区", "fulltime_staff": 3, "business_scope": "技术转移"}

    def post(org_id):
        return client.post(url, json.dumps({**payload, "organization": org_id}),
                           content_type="application/json")

    hidden, missing = post(personas.other_university.pk), post(MISSING_ID)
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["fields"]["organization"][0]["code"] == "does_not_exist"
    assert hidden.content.replace(str(personas.other_university.pk).encode(), b"ID") == \
        missing.content.replace(str(MISSING_ID).encode(), b"ID")
    assert not InstitutionRegistration.objects.exists()
    assert post(personas.university.pk).status_code == 201


def test_the_service_refuses_a_registration_for_an_organisation_one_does_not_administer(
        personas):
    from django.http import Http404

    for user in (personas.enterprise, personas.department_officer, personas.manager):
        with pytest.raises(Http404):
            services.create_registration(actor=user, organization=personas.university,
                                         premises_address="北京市海淀区清华园1号",
                                         business_scope="技术转移服务")
    assert not InstitutionRegistration.objects.exists()
    services.create_registration(actor=personas.institution_admin,
                                 organization=personas.university,
                                 premises_address="北京市海淀区清华园1号",
                                 business_scope="技术转移服务")
    assert InstitutionRegistration.objects.count() == 1
