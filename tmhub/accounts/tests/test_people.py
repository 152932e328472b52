"""People management: the city manages everyone, an institution only its own people."""

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.models import Membership, User
from tmhub.core.models import WorkflowEvent
from tmhub.core.roles import Role

pytestmark = pytest.mark.django_db


def test_institution_admin_invites_a_manager_of_own_institution(personas):
    client = client_for(personas.institution_admin)
    response = client.post(reverse("accounts:user-create"), {
        "username": "new_manager", "display_name": "王新", "email": "wangxin@example.cn",
        "role": Role.MANAGER, "organization": personas.university.pk,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_manager")
    assert user.memberships.get().organization == personas.university
    assert any("wangxin@example.cn" in m.to for m in mail.outbox)  # set-password invitation


def test_institution_admin_cannot_grant_city_roles_or_other_orgs(personas):
    client = client_for(personas.institution_admin)
    for data in ({"role": Role.MUNICIPAL_ADMIN, "organization": personas.university.pk},
                 {"role": Role.MANAGER, "organization": personas.company.pk}):
        response = client.post(reverse("accounts:user-create"), {
            "username": "sneaky", "display_name": "x", "email": "x@example.cn", **data})
        assert response.status_code == 200
        assert not User.objects.filter(username="sneaky").exists()


def test_people_list_is_scoped(personas):
    page = client_for(personas.institution_admin).get(reverse("accounts:user-list"))
    names = {u.username for u in page.context["object_list"]}
    assert names == {"p_tto", "p_manager"}
    page = client_for(personas.municipal_admin).get(reverse("accounts:user-list") +
                                                    f"?role={Role.ENTERPRISE}")
    assert [u.username for u in page.context["object_list"]] == ["p_enterprise"]


def test_revoking_a_role_is_audited_and_removes_the_scope(personas):
    membership = personas.manager.memberships.get()
    client = client_for(personas.institution_admin)
    client.post(reverse("accounts:membership-revoke", args=[membership.pk]),
                {"reason": "离职"})
    assert not Membership.objects.get(pk=membership.pk).is_active
    event = WorkflowEvent.objects.get(event_type="accounts.membership.revoked")
    assert event.reason == "离职" and event.actor == personas.institution_admin
    fresh = User.objects.get(pk=personas.manager.pk)
    from tmhub.core.access import get_scope

    assert Role.MANAGER not in get_scope(fresh).roles


def test_password_reset_sends_a_working_link(personas):
    client = client_for(None)
    client.post(reverse("accounts:password_reset"), {"email": "p_manager@example.cn"})
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    response = client.get(path, follow=True)
    assert response.status_code == 200
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "Brand-new-pass-2025", "new_password2": "Brand-new-pass-2025"})
    assert response.status_code == 302
    # django-axes needs the request in authenticate(), so client.login() is given one.
    assert client.login(request=HttpRequest(), username="p_manager",
                        password="Brand-new-pass-2025")


@pytest.mark.django_db
def test_the_grant_form_preselects_no_role(personas):
    from tmhub.accounts.forms import MembershipForm

    for granter in (personas.municipal_admin, personas.institution_admin):
        form = MembershipForm(granter=granter)
        assert form.fields["role"].choices[0][0] == ""
        html = str(form["role"])
        assert f'value="{Role.MUNICIPAL_ADMIN}" selected' not in html
        assert not MembershipForm({"role": ""}, granter=granter).is_valid()
