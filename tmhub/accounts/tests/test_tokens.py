"""API tokens (knox): hashed, several per user, expiring, listed and revoked (own; the city:
anyone's), and rotated on every path that changes a password or deactivates an account."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import PASSWORD, client_for, totp_code_for
from tmhub.accounts.models import ApiToken
from tmhub.accounts.services import create_user
from tmhub.accounts.tokens import issue_token, revoke_token, rotate_tokens
from tmhub.core.actors import SYSTEM
from tmhub.core.models import WorkflowEvent

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
TOKENS = "/api/v1/auth/tokens/"
NEW_PASSWORD = "Another-pass-2026!"


def api(key=None):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def sign_in(username, password=PASSWORD, **data):
    response = api().post("/api/v1/auth/token/", {"username": username, "password": password,
                                                  **data}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def works(key) -> bool:
    status = api(key).get(ME).status_code
    assert status in (200, 401)
    return status == 200


# --- issuing -----------------------------------------------------------------------------------

def test_the_token_endpoint_returns_a_token_and_its_expiry(personas):
    body = sign_in("p_manager")
    assert set(body) == {"token", "expiry"}
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    expected = timezone.now() + datetime.timedelta(hours=720)
    assert abs((expiry - expected).total_seconds()) < 60
    assert api(body["token"]).get(ME).json()["username"] == "p_manager"


def test_the_lifetime_is_configurable(personas, settings):
    settings.TOKEN_LIFETIME_HOURS = 2
    token, _key = issue_token(user=personas.manager)
    assert token.expiry - timezone.now() < datetime.timedelta(hours=2, minutes=1)


def test_tokens_are_stored_hashed_and_a_user_may_hold_several(personas):
    first, second = sign_in("p_manager")["token"], sign_in("p_manager")["token"]
    assert first != second and works(first) and works(second)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        stored = json.dumps(cursor.fetchall(), default=str)
    assert first not in stored and second not in stored
    assert ApiToken.objects.filter(user=personas.manager).count() == 2


def test_a_wrong_or_revoked_key_is_401(personas):
    response = api("tmh_" + "0" * 64).get(ME)
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_an_expired_token_is_401_with_a_clear_message(personas):
    token, key = issue_token(user=personas.manager)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    response = api(key).get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert "过期" in response.json()["detail"]
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    expired = WorkflowEvent.objects.get(event_type="accounts.token.expired")
    assert (expired.object_id, expired.data["token_id"]) == (str(personas.manager.pk), token.pk)
    assert expired.actor is None and expired.actor_name == "system"


def test_an_inactive_users_token_is_refused(personas):
    token, key = issue_token(user=personas.manager)
    get_user_model().objects.filter(pk=personas.manager.pk).update(is_active=False)  # raw
    assert api(key).get(ME).status_code == 401


def test_last_use_is_recorded(personas):
    token, key = issue_token(user=personas.manager)
    assert token.last_used_at is None
    api(key).get(ME)
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- listing and revoking through the API -------------------------------------------------------

def test_the_list_shows_own_tokens_but_never_a_key(personas):
    key = sign_in("p_manager", name="ci script")["token"]
    issue_token(user=personas.institution_admin)
    response = api(key).get(TOKENS)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["name"] for row in rows] == ["ci script"]
    assert set(rows[0]) == {"id", "name", "prefix", "user", "username", "created", "expiry",
                            "last_used_at"}
    assert key[:12] == rows[0]["prefix"]
    assert key not in response.content.decode()


def test_revoking_own_token_stops_it_at_once(personas):
    key = sign_in("p_manager")["token"]
    other = sign_in("p_manager")["token"]
    token_of_key = ApiToken.objects.get(token_key=key[:15])
    assert api(other).delete(f"{TOKENS}{token_of_key.pk}/").status_code == 204
    assert not works(key) and works(other)
    event = WorkflowEvent.objects.get(event_type="accounts.token.revoked")
    assert event.actor == personas.manager and event.data["token_id"] == token_of_key.pk


def test_someone_elses_token_is_404(personas):
    victim, victim_key = issue_token(user=personas.institution_admin)
    key = sign_in("p_manager")["token"]
    assert api(key).delete(f"{TOKENS}{victim.pk}/").status_code == 404
    assert api(key).get(f"{TOKENS}?user={personas.institution_admin.pk}").status_code == 404
    assert api(key).get(f"{TOKENS}?user=99999999999999999999999").status_code == 404
    assert works(victim_key)


def test_the_city_lists_and_revokes_anyones_tokens(personas):
    victim, victim_key = issue_token(user=personas.manager, name="laptop")
    # The city signs in with its second factor (accounts.two_factor).
    admin = api(sign_in("p_municipal", otp=totp_code_for(personas.municipal_admin))["token"])
    rows = admin.get(f"{TOKENS}?user={personas.manager.pk}").json()["results"]
    assert [(row["id"], row["username"]) for row in rows] == [(victim.pk, "p_manager")]
    assert admin.delete(f"{TOKENS}{victim.pk}/").status_code == 204
    assert not works(victim_key)
    event = WorkflowEvent.objects.get(event_type="accounts.token.revoked")
    assert event.actor == personas.municipal_admin
    assert event.object_id == str(personas.manager.pk)


def test_the_schema_documents_the_token_endpoints(personas):
    schema = Client().get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/auth/token/"]["post"]
    ref = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    props = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(props) == {"token", "expiry"}
    assert {"400", "429"} <= set(post["responses"])
    assert "/api/v1/auth/tokens/{id}/" in schema["paths"]
    assert "delete" in schema["paths"]["/api/v1/auth/tokens/{id}/"]
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["in"], scheme["name"]) == ("header", "Authorization")
    assert "Token" in scheme["description"]


# --- rotation: every path that changes a password or deactivates an account ---------------------

def _rotated(user) -> bool:
    return WorkflowEvent.objects.filter(event_type="accounts.token.rotated",
                                        object_id=str(user.pk)).exists()


def test_changing_the_password_in_the_ui_rotates_tokens(personas):
    key = sign_in("p_manager")["token"]
    client = client_for(personas.manager)
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not works(key)
    event = WorkflowEvent.objects.get(event_type="accounts.token.rotated")
    assert event.actor == personas.manager and event.reason == "password_changed"
    assert works(sign_in("p_manager", NEW_PASSWORD)["token"])


def test_resetting_the_password_by_mail_rotates_tokens(personas):
    key = sign_in("p_manager")["token"]
    client = Client()
    client.post("/accounts/password/reset/", {"email": "p_manager@example.cn"})
    link = next(line for line in mail.outbox[-1].body.splitlines()
                if "/accounts/password/reset/" in line)
    response = client.get(link.split("testserver", 1)[1].strip(), follow=True)
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not works(key) and _rotated(personas.manager)


def test_the_admin_password_form_rotates_tokens(personas):
    root = create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    key = sign_in("p_manager")["token"]
    response = client_for(root).post(
        f"/admin/accounts/user/{personas.manager.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    assert not works(key) and _rotated(personas.manager)


def test_the_changepassword_command_rotates_tokens(personas, monkeypatch):
    key = sign_in("p_manager")["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "p_manager", stdout=open("/dev/null", "w"))
    assert not works(key) and _rotated(personas.manager)


def test_deactivating_an_account_rotates_tokens(personas):
    key = sign_in("p_manager")["token"]
    user = get_user_model().objects.get(pk=personas.manager.pk)
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not works(key)
    event = WorkflowEvent.objects.get(event_type="accounts.token.rotated")
    assert event.reason == "account_deactivated"


def test_deactivating_in_the_admin_rotates_tokens(personas):
    root = create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    key = sign_in("p_manager")["token"]
    admin = client_for(root)
    user = personas.manager
    response = admin.post(f"/admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "email": user.email, "display_name": user.display_name,
        "phone": "", "is_staff": "", "is_active": "", "is_superuser": "",
        "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not get_user_model().objects.get(pk=user.pk).is_active
    assert not works(key) and _rotated(user)
    assert WorkflowEvent.objects.get(event_type="accounts.token.rotated").actor == root


def test_a_password_change_or_deactivation_is_audited_even_without_tokens(personas):
    client = client_for(personas.manager)
    client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD})
    changed = WorkflowEvent.objects.get(event_type="accounts.password.changed")
    assert (changed.actor, changed.object_id) == (personas.manager, str(personas.manager.pk))
    user = get_user_model().objects.get(pk=personas.manager.pk)
    user.is_active = False
    user.save()  # nobody named: the platform's own step
    gone = WorkflowEvent.objects.get(event_type="accounts.account.deactivated")
    assert gone.actor is None and gone.actor_name == "system"
    assert not WorkflowEvent.objects.filter(event_type="accounts.token.rotated").exists()


def test_other_saves_keep_tokens(personas):
    key = sign_in("p_manager")["token"]
    user = get_user_model().objects.get(pk=personas.manager.pk)
    user.display_name = "新名字"
    user.save()
    client_for(user)  # a sign-in updates last_login
    assert works(key) and not _rotated(user)
    assert not WorkflowEvent.objects.filter(event_type__startswith="accounts.password").exists()


def test_the_services_audit_issue_revoke_and_rotate(personas):
    token, _key = issue_token(user=personas.manager, actor=personas.municipal_admin, name="x")
    issue_token(user=personas.manager)
    revoke_token(token, actor=personas.municipal_admin)
    assert rotate_tokens(personas.manager, actor=SYSTEM, reason="test") == 1
    assert rotate_tokens(personas.manager, actor=SYSTEM, reason="test") == 0
    types = list(WorkflowEvent.objects.filter(object_id=str(personas.manager.pk))
                 .order_by("pk").values_list("event_type", flat=True))
    assert types == ["accounts.token.issued", "accounts.token.issued", "accounts.token.revoked",
                     "accounts.token.rotated"]


# --- the "API tokens" page -----------------------------------------------------------------------

def test_the_page_creates_a_token_and_shows_its_key_once(personas):
    client = client_for(personas.manager)
    empty = client.get("/accounts/me/tokens/").content.decode()
    assert "您还没有 API 令牌" in empty
    response = client.post("/accounts/me/tokens/", {"name": "报表脚本"})
    # Post/redirect/get: reloading the page that shows the key creates no second token.
    assert response.status_code == 302 and response["Location"] == "/accounts/me/tokens/"
    response = client.get("/accounts/me/tokens/")
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=personas.manager)
    page = response.content.decode()
    start = page.index('id="new-token"')
    key = page[start:].split("<code", 1)[1].split(">", 1)[1].split("<", 1)[0]
    assert key.startswith("tmh_") and works(key)
    again = client.get("/accounts/me/tokens/").content.decode()
    assert key not in again and "报表脚本" in again and token.prefix in again
    assert ApiToken.objects.filter(user=personas.manager).count() == 1


def test_the_page_revokes_a_token(personas):
    token, key = issue_token(user=personas.manager, name="old")
    client = client_for(personas.manager)
    page = client.get("/accounts/me/tokens/").content.decode()
    assert f"/accounts/tokens/{token.pk}/revoke/" in page and "data-confirm" in page
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/tokens/"
    assert not works(key)


def test_the_page_refuses_someone_elses_token(personas):
    token, key = issue_token(user=personas.institution_admin)
    assert client_for(personas.manager).post(
        f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert works(key)


def test_the_city_revokes_from_the_person_page(personas):
    token, key = issue_token(user=personas.manager, name="laptop")
    admin = client_for(personas.municipal_admin)
    page = admin.get(f"/accounts/people/{personas.manager.pk}/").content.decode()
    assert "laptop" in page and f"/accounts/tokens/{token.pk}/revoke/" in page
    response = admin.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response["Location"] == f"/accounts/people/{personas.manager.pk}/"
    assert not works(key)
    # An institution administrator sees the person but not their tokens.
    token, _key = issue_token(user=personas.manager, name="desktop")
    page = client_for(personas.institution_admin).get(
        f"/accounts/people/{personas.manager.pk}/").content.decode()
    assert "desktop" not in page and "person-tokens" not in page


def test_superusers_revoke_tokens_in_the_admin(personas):
    root = create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    token, key = issue_token(user=personas.manager, name="laptop")
    admin = client_for(root)
    listing = admin.get("/admin/accounts/apitoken/").content.decode()
    assert token.prefix in listing and key not in listing
    response = admin.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not works(key)
    assert WorkflowEvent.objects.filter(event_type="accounts.token.revoked", actor=root).exists()


def test_expired_tokens_are_cleared_daily(personas):
    from tmhub.accounts.tasks import BEAT_SCHEDULE, delete_expired_tokens

    old, _key = issue_token(user=personas.manager)
    ApiToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - datetime.timedelta(1))
    fresh, _key = issue_token(user=personas.manager)
    other, _key = issue_token(user=personas.enterprise)
    ApiToken.objects.filter(pk__in=[old.pk, other.pk]).update(
        expiry=timezone.now() - datetime.timedelta(1))
    assert delete_expired_tokens.delay().get() == 2
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [fresh.pk]
    # One event per owner, naming the tokens removed.
    events = WorkflowEvent.objects.filter(event_type="accounts.token.expired")
    assert {(e.object_id, tuple(e.data["token_ids"])) for e in events} == {
        (str(personas.manager.pk), (old.pk,)), (str(personas.enterprise.pk), (other.pk,))}
    assert "accounts-delete-expired-tokens" in BEAT_SCHEDULE
