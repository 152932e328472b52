"""The accounts policies: who sees whom, who may give and end which role where, and the other
verbs (create an account, manage API tokens, clear lockouts). Services are refused as the UI is.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.accounts import lockouts, services, tokens
from tmhub.accounts.forms import MembershipForm
from tmhub.accounts.models import Membership, User
from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.roles import INSTITUTION_GRANTABLE_ROLES, Role

pytestmark = pytest.mark.django_db


def _code(exc: ValidationError) -> str:
    return exc.error_dict["role"][0].code


def _newcomer(username="p_newcomer"):
    return services.create_user(
        actor=SYSTEM, username=username, password=None, email=f"{username}@example.cn"
    )


def _records():
    return (Membership.objects.count(), ObjectChange.objects.count(), WorkflowEvent.objects.count())


# --- who sees whom --------------------------------------------------------------------------


def test_given_each_persona_when_restricting_users_then_each_sees_its_own_people(personas):
    def seen(user):
        return set(User.objects.restrict(user).values_list("username", flat=True))

    assert seen(personas.municipal_admin) == set(User.objects.values_list("username", flat=True))
    assert seen(personas.institution_admin) == {"p_tto", "p_manager"}
    assert seen(personas.manager) == {"p_manager"}  # oneself, nobody else
    assert seen(None) == set()
    # Only the people one manages are reachable for a change (a grant), not oneself alone.
    assert not User.objects.restrict(personas.manager, CHANGE).exists()


def test_the_user_manager_keeps_djangos_helpers():
    user = User.objects.create_user("p_plain", "plain@example.cn", "x-Pass-2025")
    assert user.check_password("x-Pass-2025")
    assert User.objects.get_by_natural_key("p_plain") == user


# --- granting roles: through the service ---------------------------------------------------


def test_given_an_institution_admin_when_granting_institution_roles_at_home_then_it_works(personas):
    newcomer = _newcomer()
    for role in INSTITUTION_GRANTABLE_ROLES:
        membership = services.grant_membership(
            actor=personas.institution_admin,
            user=newcomer,
            role=role,
            organization=personas.university,
        )
        assert membership.is_active and membership.organization == personas.university
    # Their own people too (the manager becomes a second institution administrator).
    services.grant_membership(
        actor=personas.institution_admin,
        user=personas.manager,
        role=Role.INSTITUTION_ADMIN,
        organization=personas.university,
    )
    assert Membership.objects.filter(user=personas.manager, role=Role.INSTITUTION_ADMIN).exists()


@pytest.mark.parametrize(
    "grant",
    [
        pytest.param(lambda p: {"role": Role.MUNICIPAL_ADMIN}, id="a city role"),
        pytest.param(
            lambda p: {"role": Role.MANAGER, "organization": p.other_university},
            id="another institution",
        ),
        pytest.param(
            lambda p: {"role": Role.ENTERPRISE, "organization": p.university},
            id="a role that is not the institution's to give",
        ),
        pytest.param(
            lambda p: {"role": Role.DISTRICT_OFFICER, "district": p.haidian}, id="a district"
        ),
        pytest.param(
            lambda p: {"role": Role.DEPARTMENT_OFFICER, "department": Department.EDUCATION},
            id="a department",
        ),
        pytest.param(
            lambda p: {"role": Role.MANAGER, "organization": p.university, "district": p.haidian},
            id="an institution role with a district",
        ),
    ],
)
def test_given_an_institution_admin_when_granting_beyond_its_reach_then_nothing_changes(
    personas, grant
):
    before = _records()
    with pytest.raises(ValidationError) as refused:
        services.grant_membership(
            actor=personas.institution_admin, user=personas.manager, **grant(personas)
        )
    assert _code(refused.value) == "role_not_grantable"
    assert _records() == before


def test_given_an_institution_admin_when_granting_to_someone_elses_person_then_refused(personas):
    before = _records()
    with pytest.raises(ValidationError) as refused:
        services.grant_membership(
            actor=personas.institution_admin,
            user=personas.enterprise,
            role=Role.MANAGER,
            organization=personas.university,
        )
    assert _code(refused.value) == "role_not_grantable"
    assert _records() == before


def test_given_anyone_without_people_to_manage_when_granting_then_refused(personas):
    newcomer = _newcomer()
    before = _records()
    for user in (
        personas.manager,
        personas.enterprise,
        personas.service_provider,
        personas.department_officer,
        personas.district_officer,
        personas.reviewer,
        personas.outsider,
    ):
        with pytest.raises(ValidationError) as refused:
            services.grant_membership(
                actor=user, user=newcomer, role=Role.MANAGER, organization=personas.university
            )
        assert _code(refused.value) == "role_not_grantable"
    assert _records() == before


def test_given_the_city_or_system_then_any_role_anywhere_to_anyone(personas):
    services.grant_membership(
        actor=personas.municipal_admin, user=personas.outsider, role=Role.MUNICIPAL_ADMIN
    )
    services.grant_membership(
        actor=personas.municipal_admin,
        user=personas.enterprise,
        role=Role.MANAGER,
        organization=personas.other_university,
    )
    services.grant_membership(
        actor=SYSTEM, user=personas.outsider, role=Role.DISTRICT_OFFICER, district=personas.chaoyang
    )
    roles = set(personas.outsider.memberships.values_list("role", flat=True))
    assert roles == {Role.MUNICIPAL_ADMIN, Role.DISTRICT_OFFICER}


def test_given_no_actor_when_granting_then_it_is_a_programming_error(personas):
    with pytest.raises(ImproperlyConfigured):
        services.grant_membership(
            actor=None, user=personas.outsider, role=Role.MANAGER, organization=personas.university
        )


# --- granting roles: through the pages ------------------------------------------------------


def test_the_role_form_offers_exactly_what_the_policy_lets_one_give(personas):
    form = MembershipForm(granter=personas.institution_admin)
    offered = {value for value, _label in form.fields["role"].choices if value}
    assert offered == INSTITUTION_GRANTABLE_ROLES
    assert list(form.fields["organization"].queryset) == [personas.university]
    assert "district" not in form.fields and "department" not in form.fields
    city = MembershipForm(granter=personas.municipal_admin)
    assert {value for value, _label in city.fields["role"].choices if value} == set(Role.values)
    assert {"district", "department"} <= set(city.fields)


@pytest.mark.parametrize(
    "crafted",
    [
        lambda p: {"role": Role.MUNICIPAL_ADMIN, "organization": p.university.pk},
        lambda p: {"role": Role.MANAGER, "organization": p.company.pk},
        lambda p: {"role": Role.DISTRICT_OFFICER, "district": p.haidian.pk},
        lambda p: {"role": Role.ENTERPRISE, "organization": p.university.pk},
    ],
)
def test_given_a_crafted_grant_post_then_it_is_refused_and_changes_nothing(personas, crafted):
    url = reverse("accounts:user-detail", args=[personas.manager.pk])
    before = _records()
    response = client_for(personas.institution_admin).post(url, crafted(personas))
    assert response.status_code == 200  # the form again, with its error; no redirect
    assert response.context["form"].errors
    assert _records() == before


def test_given_another_institutions_person_then_their_page_and_grant_are_missing(personas):
    url = reverse("accounts:user-detail", args=[personas.enterprise.pk])
    before = _records()
    response = client_for(personas.institution_admin).post(
        url, {"role": Role.MANAGER, "organization": personas.university.pk}
    )
    assert response.status_code == 404
    assert _records() == before


# --- ending roles ---------------------------------------------------------------------------


def test_given_a_role_the_institution_could_not_give_then_it_cannot_end_it_either(personas):
    """The role list of an institution shows an odd role (given by the city); the institution
    administrator reaches the row, but the service refuses to end it, via the page as well."""
    odd = services.grant_membership(
        actor=SYSTEM, user=personas.manager, role=Role.ENTERPRISE, organization=personas.university
    )
    with pytest.raises(Http404):
        services.revoke_membership(odd, actor=personas.institution_admin)
    response = client_for(personas.institution_admin).post(
        reverse("accounts:membership-revoke", args=[odd.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert Membership.objects.get(pk=odd.pk).is_active
    assert not WorkflowEvent.objects.filter(event_type="accounts.membership.revoked").exists()
    page = client_for(personas.institution_admin).get(
        reverse("accounts:user-detail", args=[personas.manager.pk])
    )
    manager_role = personas.manager.memberships.get(role=Role.MANAGER)
    assert page.context["manageable"] == {manager_role.pk}
    services.revoke_membership(odd, actor=personas.municipal_admin, reason="纠正")
    assert not Membership.objects.get(pk=odd.pk).is_active


# --- accounts, tokens, lockouts -------------------------------------------------------------


def test_only_those_who_manage_people_create_accounts_and_only_superusers_superusers(personas):
    with pytest.raises(Http404):
        services.create_user(actor=personas.manager, username="p_x", password=None)
    with pytest.raises(Http404):
        services.create_user(
            actor=personas.municipal_admin, username="p_root", password=None, is_superuser=True
        )
    assert not User.objects.filter(username__in=["p_x", "p_root"]).exists()
    services.create_user(actor=personas.institution_admin, username="p_x", password=None)
    root = services.create_user(actor=SYSTEM, username="p_root", password=None, is_superuser=True)
    services.create_user(actor=root, username="p_root2", password=None, is_superuser=True)


def test_api_tokens_are_issued_and_revoked_by_their_owner_or_the_city(personas):
    with pytest.raises(Http404):
        tokens.issue_token(user=personas.manager, actor=personas.institution_admin)
    token, _key = tokens.issue_token(user=personas.manager)
    with pytest.raises(Http404):
        tokens.revoke_token(token, actor=personas.institution_admin)
    assert tokens.active_tokens(personas.manager).count() == 1
    tokens.issue_token(user=personas.manager, actor=personas.municipal_admin)
    tokens.revoke_token(token, actor=personas.municipal_admin)
    assert tokens.active_tokens(personas.manager).count() == 1


def test_only_the_city_clears_lockouts_even_through_the_service(personas):
    for _name, user in personas.signed_in():
        assert policies.allows(user, "unlock", User) == (user == personas.municipal_admin)
    with pytest.raises(Http404):
        lockouts.unlock(actor=personas.institution_admin, kind=lockouts.USERNAME, value="p_manager")
    assert not WorkflowEvent.objects.filter(event_type="accounts.login.unlocked").exists()
