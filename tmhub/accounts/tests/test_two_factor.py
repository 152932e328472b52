"""Two-factor sign-in: who must use it, enrolment on first sign-in with recovery codes,
verification, every page and API held until then, API tokens only with the second factor, the
city's reset, idle-session expiry and the password policy."""

import re
import time

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from conftest import PASSWORD, client_for
from tmhub.accounts import two_factor
from tmhub.accounts.middleware import LAST_SEEN_KEY
from tmhub.accounts.services import create_user, grant_membership
from tmhub.accounts.tokens import issue_token
from tmhub.core.actors import SYSTEM
from tmhub.core.models import WorkflowEvent
from tmhub.core.roles import Role

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/"


def code_for(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def password_client(username) -> Client:
    """Signed in with the password only, through the sign-in page."""
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Through the set-up page: read the key it shows, enter the current code."""
    page = client.get(SETUP)
    assert page.status_code == 200
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page.content.decode()).group(1)
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    assert two_factor.secret_base32(device) == secret
    response = client.post(SETUP, {"token": code_for(device)})
    assert response.status_code == 200, response.content
    codes = re.findall(r'<li class="col-6">([a-z0-9]+)</li>', response.content.decode())
    return device, codes


# --- who ---------------------------------------------------------------------------------------


def test_given_the_personas_then_the_city_superusers_and_reviewers_need_a_second_factor(personas):
    root = create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    needs = {name for name, user in personas.signed_in() if two_factor.requires_two_factor(user)}
    assert needs == {"municipal_admin", "reviewer"}
    assert two_factor.requires_two_factor(root)


# --- enrolment on first sign-in ----------------------------------------------------------------


def test_given_a_reviewer_without_authenticator_when_signing_in_then_every_page_leads_to_setup(
    personas,
):
    client = password_client("p_reviewer")
    for url in ["/", "/talent/", "/accounts/me/", "/accounts/me/tokens/", "/orgs/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP + "?next="), url
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"


def test_given_the_setup_page_when_the_code_is_right_then_recovery_codes_and_pages_open(personas):
    client = password_client("p_reviewer")
    device, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/accounts/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert (
        WorkflowEvent.objects.filter(
            event_type="accounts.two_factor.enrolled", object_id=str(personas.reviewer.pk)
        ).count()
        == 1
    )


def test_given_the_setup_page_when_the_code_is_wrong_then_nothing_is_confirmed(personas):
    client = password_client("p_reviewer")
    client.get(SETUP)
    response = client.post(SETUP, {"token": "000000"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.reviewer, confirmed=True).exists()
    assert client.get("/accounts/me/").status_code == 302


def test_given_a_confirmed_authenticator_then_setup_cannot_register_another(personas):
    client = password_client("p_municipal")
    enrol(client)
    other = password_client("p_municipal")  # the password alone, e.g. stolen
    assert other.get(SETUP)["Location"] == reverse("accounts:two-factor-verify")
    with pytest.raises(ValidationError) as exc:
        two_factor.start_enrolment(personas.municipal_admin)
    assert exc.value.code == "already_enrolled"


# --- verification ------------------------------------------------------------------------------


def test_given_an_enrolled_administrator_when_signing_in_again_then_a_code_is_asked(personas):
    device, _codes = enrol(password_client("p_municipal"))
    client = password_client("p_municipal")
    response = client.get("/accounts/people/")
    assert response["Location"].startswith(VERIFY + "?next=")
    assert client.post(VERIFY, {"token": "123456"}).status_code == 200  # wrong: page again
    assert client.get("/accounts/people/").status_code == 302
    # A wrong code makes the next try wait (django-otp's throttle): even the right code now.
    assert client.post(VERIFY, {"token": code_for(device, offset=1)}).status_code == 200
    time.sleep(1.1)
    ok = client.post(VERIFY, {"token": code_for(device, offset=1), "next": "/accounts/people/"})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/people/"
    assert client.get("/accounts/people/").status_code == 200


def test_given_a_recovery_code_then_it_signs_in_once(personas):
    _device, codes = enrol(password_client("p_municipal"))
    first = password_client("p_municipal")
    assert first.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert first.get("/accounts/people/").status_code == 200
    again = password_client("p_municipal")
    assert again.post(VERIFY, {"token": codes[0]}).status_code == 200  # used up
    assert again.get("/accounts/people/").status_code == 302
    assert StaticToken.objects.filter(device__user=personas.municipal_admin).count() == 9


def test_given_a_verified_session_when_renewing_recovery_codes_then_the_old_ones_stop(personas):
    client = password_client("p_reviewer")
    _device, old = enrol(client)
    response = client.post("/accounts/two-factor/recovery-codes/")
    new = re.findall(r'<li class="col-6">([a-z0-9]+)</li>', response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert password_client("p_reviewer").post(VERIFY, {"token": old[0]}).status_code == 200


def test_given_other_roles_then_no_second_factor_is_asked(personas):
    client = password_client("p_manager")
    assert client.get("/accounts/me/").status_code == 200
    assert client.get(SETUP).status_code == 200  # they may still choose to set it up


def test_given_the_test_helper_then_it_completes_a_real_second_factor(personas):
    client = client_for(personas.municipal_admin)
    assert client.get("/accounts/people/").status_code == 200
    assert TOTPDevice.objects.filter(user=personas.municipal_admin, confirmed=True).exists()
    # A session signed in without it is held at the door.
    bare = Client()
    bare.force_login(personas.municipal_admin)
    assert bare.get("/accounts/people/")["Location"].startswith(VERIFY)


# --- every protected page and API --------------------------------------------------------------


def _protected_urls():
    """Every named route (GET and POST), with 1 for each URL argument: the hold comes before
    the view, so a record need not exist."""
    from django.urls import NoReverseMatch

    from tmhub.core.tests.permission_matrix import routes

    urls = []
    for name in routes():
        for count in range(4):
            try:
                urls.append((name, reverse(name, args=[1] * count)))
                break
            except NoReverseMatch:
                continue
    return [
        (n, u)
        for n, u in urls
        if n
        not in {
            "accounts:login",
            "accounts:logout",
            "accounts:two-factor-setup",
            "accounts:two-factor-verify",
            "set_language",
            "api-token",
        }
    ]


def test_given_an_unverified_session_of_a_two_factor_role_then_every_route_is_held(personas):
    client = Client()
    client.force_login(personas.reviewer)
    TOTPDevice.objects.create(user=personas.reviewer, name="phone", confirmed=True)
    urls = _protected_urls()
    assert len(urls) > 100
    for name, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if url.startswith("/api/"):
                assert response.status_code == 403, (name, method)
                assert response.json()["code"] == "two_factor_required", name
            else:
                assert response.status_code == 302, (name, method, response.status_code)
                assert response["Location"].startswith(VERIFY), name


def test_given_an_unverified_session_then_the_admin_site_is_held_too(personas):
    root = create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    client = Client()
    client.force_login(root)
    assert client.get("/admin/")["Location"].startswith(SETUP)


# --- API tokens --------------------------------------------------------------------------------


def test_given_a_two_factor_role_then_the_token_endpoint_wants_a_current_code(personas):
    api = APIClient()
    url = "/api/v1/auth/token/"
    not_enrolled = api.post(url, {"username": "p_reviewer", "password": PASSWORD}, format="json")
    assert not_enrolled.status_code == 403
    assert not_enrolled.json()["code"] == "two_factor_setup_required"
    device, _codes = enrol(password_client("p_reviewer"))
    missing = api.post(url, {"username": "p_reviewer", "password": PASSWORD}, format="json")
    assert missing.status_code == 400
    assert missing.json()["fields"]["otp"][0]["code"] == "invalid_code"
    ok = api.post(
        url,
        {"username": "p_reviewer", "password": PASSWORD, "otp": code_for(device, offset=1)},
        format="json",
    )
    assert ok.status_code == 200
    key = ok.json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/").status_code == 200
    # Other roles: the password alone, as before.
    assert (
        api.post(url, {"username": "p_manager", "password": PASSWORD}, format="json").status_code
        == 200
    )


def test_given_a_token_when_the_person_gets_a_two_factor_role_then_it_is_revoked(personas):
    _token, key = issue_token(user=personas.manager)
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/").status_code == 200
    grant_membership(actor=SYSTEM, user=personas.manager, role=Role.REVIEWER)
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/me/").status_code == 401


# --- the city's reset (lost phone) -------------------------------------------------------------


def test_given_a_lost_phone_when_the_city_resets_then_the_person_enrols_again(personas):
    enrol(password_client("p_reviewer"))
    city = client_for(personas.municipal_admin)
    url = reverse("accounts:two-factor-reset", args=[personas.reviewer.pk])
    assert city.post(url, {"reason": ""}).status_code == 302
    assert TOTPDevice.objects.filter(user=personas.reviewer).exists()  # no reason: refused
    assert city.post(url, {"reason": "phone lost, ticket 42"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.reviewer).exists()
    assert password_client("p_reviewer").get("/")["Location"].startswith(SETUP)
    assert WorkflowEvent.objects.filter(event_type="accounts.two_factor.reset").count() == 1
    # Nobody else may.
    tto = client_for(personas.institution_admin)
    assert tto.post(url, {"reason": "x"}).status_code == 404


# --- idle sessions -----------------------------------------------------------------------------


@override_settings(SESSION_IDLE_MINUTES=5)
def test_given_a_session_idle_longer_than_the_limit_then_it_is_signed_out(personas):
    client = client_for(personas.manager)
    assert client.get("/accounts/me/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 4 * 60
    session.save()
    assert client.get("/accounts/me/").status_code == 200  # 4 minutes: still signed in
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 6 * 60
    session.save()
    response = client.get("/accounts/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/me/")["Location"].startswith("/accounts/login/")


# --- password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "en",
            [
                "This password is too short. It must contain at least 10 characters.",
                "This password must contain characters of at least 3 kinds",
            ],
        ),
        ("zh-hans", ["密码长度太短。密码必须包含至少 10 个字符。", "密码必须包含至少 3 类字符"]),
    ],
)
def test_given_a_weak_password_then_the_policy_says_why_in_the_users_language(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as exc:
        password_validation.validate_password("abcdefg")
    messages = " ".join(exc.value.messages)
    for text in expected:
        assert text in messages, messages


def test_given_a_strong_password_then_the_policy_accepts_it():
    password_validation.validate_password("Persona-pass-2025")
    with pytest.raises(ValidationError):
        password_validation.validate_password("persona-pass-twenty")  # two kinds only
