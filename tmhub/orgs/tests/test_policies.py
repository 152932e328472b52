"""The orgs policies and workflow: one rule for registering an institution (page, API field and
service agree), contact details as the policy shows them, the status owned by the workflow and
the buttons it offers."""

import json

import pytest
from django.db import transaction
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.models import User
from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.core.models import ObjectChange
from tmhub.core.workflow import ProtectedStatusError
from tmhub.orgs import services
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.models import InstitutionRegistration, Organization
from tmhub.orgs.policies import CONTACT_FIELDS

pytestmark = pytest.mark.django_db

APPLICATION = {
    "premises_address": "北京市海淀区清华园1号",
    "fulltime_staff": 3,
    "has_written_rules": True,
    "business_scope": "技术转移服务",
}


def _everyone(personas):
    root = User.objects.create_superuser("p_root", "root@example.cn", "x")
    return [*(user for _name, user in personas.signed_in()), root]


def _rolled_back(action):
    """Run `action` and undo whatever it wrote, so the next persona starts from the same data."""
    with transaction.atomic():
        result = action()
        transaction.set_rollback(True)
    return result


# --- who registers an institution -----------------------------------------------------------


def test_given_every_persona_then_page_api_and_service_agree_on_who_registers(personas):
    organization = personas.university
    page = reverse("orgs:registration-create", args=[organization.pk])
    api = reverse("institution-registration-list")
    for user in _everyone(personas):
        allowed = policies.allows(user, "register_institution", organization)
        client = client_for(user)
        assert client.get(page).status_code == (200 if allowed else 404), user

        def by_api(client=client):
            return client.post(
                api,
                json.dumps({**APPLICATION, "organization": organization.pk}),
                content_type="application/json",
            )

        answer = _rolled_back(by_api)
        assert answer.status_code == (201 if allowed else 400), (user, answer.content)
        if not allowed:
            assert answer.json()["fields"]["organization"][0]["code"] == "does_not_exist"

        def by_service(user=user):
            try:
                services.create_registration(actor=user, organization=organization, **APPLICATION)
            except Http404:
                return False
            return True

        assert _rolled_back(by_service) == allowed, user
    assert not InstitutionRegistration.objects.exists()
    # Its administrators and superusers; not the city, which decides on the application.
    assert policies.allows(personas.institution_admin, "register_institution", organization)
    assert not policies.allows(personas.municipal_admin, "register_institution", organization)


def test_the_detail_page_offers_registration_to_who_may_register(personas):
    url = reverse("orgs:organization-detail", args=[personas.university.pk])
    apply = reverse("orgs:registration-create", args=[personas.university.pk])
    assert apply in client_for(personas.institution_admin).get(url).content.decode()
    for user in (personas.municipal_admin, personas.manager, None):
        assert apply not in client_for(user).get(url).content.decode()


# --- organisations --------------------------------------------------------------------------


def test_given_every_persona_and_organisation_then_contacts_go_to_exactly_its_editors(personas):
    organizations = list(Organization.objects.all())
    for user in [None, *_everyone(personas)]:
        editable = set(Organization.objects.restrict(user, CHANGE).values_list("pk", flat=True))
        for organization in organizations:
            shown = policies.visible_fields(user, organization)
            assert (CONTACT_FIELDS <= shown) == (organization.pk in editable), (user, organization)
            assert {"name", "kind", "district"} <= shown


def test_the_api_list_shows_each_row_as_the_policy_does_without_a_query_per_row(
    personas, django_assert_max_num_queries
):
    for i in range(30):
        services.create_organization(
            actor=SYSTEM,
            name=f"北京测试大学{i:02d}",
            kind=OrgKind.UNIVERSITY,
            contact_phone="010-62781234",
        )
    client = client_for(personas.institution_admin)
    with django_assert_max_num_queries(8):
        rows = client.get("/api/v1/organizations/?page_size=50").json()["results"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["测试大学"]["contact_phone"] == "+861062780000"  # its own institution
    assert "contact_phone" not in by_name["测试医院"]
    assert "contact_phone" not in by_name["北京测试大学00"]


def test_only_the_city_adds_organisations_even_through_the_service(personas):
    for user in (personas.institution_admin, personas.department_officer):
        with pytest.raises(Http404):
            services.create_organization(actor=user, name="新机构", kind=OrgKind.ENTERPRISE)
    assert not Organization.objects.filter(name="新机构").exists()
    services.create_organization(
        actor=personas.municipal_admin, name="新机构", kind=OrgKind.ENTERPRISE
    )


def test_the_identity_fields_follow_the_change_identity_verb(personas):
    url = reverse("orgs:organization-edit", args=[personas.university.pk])
    for user in (personas.municipal_admin, personas.department_officer, personas.institution_admin):
        form = client_for(user).get(url).context["form"]
        city = policies.allows(user, "change_identity", personas.university)
        assert city == (user == personas.municipal_admin)
        assert all(form.fields[name].disabled != city for name in ("name", "kind", "credit_code"))


# --- registrations: status, edits, buttons --------------------------------------------------


@pytest.fixture
def draft(personas):
    return services.create_registration(
        actor=personas.institution_admin, organization=personas.university, **APPLICATION
    )


def test_the_status_is_written_only_by_the_workflow(personas, draft):
    draft.status = S.APPROVED
    with pytest.raises(ProtectedStatusError):
        draft.save()
    assert InstitutionRegistration.objects.get(pk=draft.pk).status == S.DRAFT


def test_an_application_is_edited_in_scope_and_while_the_institution_holds_it(personas, draft):
    with pytest.raises(Http404):
        services.update_registration(draft, actor=personas.enterprise, fulltime_staff=9)
    assert policies.allows(personas.institution_admin, "edit", draft)
    services.transition_registration(draft, S.SUBMITTED, actor=personas.institution_admin)
    draft.refresh_from_db()
    assert not policies.allows(personas.institution_admin, "edit", draft)
    changes = ObjectChange.objects.count()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.update_registration(draft, actor=SYSTEM, fulltime_staff=9)
    assert refused.value.code == "not_editable"
    assert ObjectChange.objects.count() == changes


def test_a_registration_made_by_system_names_nobody_as_its_creator(personas):
    registration = services.create_registration(
        actor=SYSTEM, organization=personas.hospital, **APPLICATION
    )
    assert registration.created_by is None and registration.status == S.DRAFT
    services.update_registration(registration, actor=SYSTEM, fulltime_staff=5)
    assert InstitutionRegistration.objects.get(pk=registration.pk).fulltime_staff == 5


def test_the_page_shows_the_buttons_of_the_workflow_with_what_blocks_them(personas):
    incomplete = services.create_registration(
        actor=personas.institution_admin,
        organization=personas.university,
        premises_address="海淀区",
        fulltime_staff=0,
        business_scope="x",
    )
    url = reverse("orgs:registration-detail", args=[incomplete.pk])
    page = client_for(personas.institution_admin).get(url)
    (submit,) = page.context["buttons"]
    assert submit.target == S.SUBMITTED and not submit.enabled
    html = page.content.decode()
    assert 'data-target="submitted" disabled' in html
    assert "机构必须有专职人员。" in html  # the unmet guard, in words
    assert client_for(personas.municipal_admin).get(url).context["buttons"] == []
    services.update_registration(
        incomplete, actor=personas.institution_admin, fulltime_staff=4, has_written_rules=True
    )
    services.transition_registration(incomplete, S.SUBMITTED, actor=personas.institution_admin)
    city = client_for(personas.municipal_admin).get(url)
    assert {b.target for b in city.context["buttons"]} == {S.APPROVED, S.RETURNED, S.REJECTED}
    assert all(b.enabled for b in city.context["buttons"])
    assert client_for(personas.institution_admin).get(url).context["buttons"] == []
