"""Password guessing is stopped (django-axes): per username and per client address, on the sign-in
page, the admin sign-in and the API token endpoint; forged X-Forwarded-For does not help; every
lockout is logged and audited; the city unlocks; password-reset mail is rate-limited."""

import logging
import re
import runpy
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from conftest import PASSWORD, client_for
from tmhub.accounts.lockouts import client_ip
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.models import WorkflowEvent

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _address_limit_as_low_as_the_account_limit(settings):
    """Most tests here exercise the address lock with five failures; the default (higher, for
    offices behind one NAT address) is tested on its own below."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = settings.LOGIN_FAILURE_LIMIT


def _ui_login(client, username, password, path=LOGIN, **extra):
    return client.post(path, {"username": username, "password": password}, **extra)


def _api_login(client, username, password, **extra):
    return client.post(TOKEN, {"username": username, "password": password}, format="json",
                       **extra)


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


# --- the 41st, right password after 40 wrong ---------------------------------------------------

def test_sign_in_page_refuses_the_right_password_after_40_wrong(personas):
    client = Client()
    statuses = [_ui_login(client, "p_manager", f"guess-{i}").status_code for i in range(40)]
    assert statuses[:4] == [200] * 4  # the form, with its error
    assert set(statuses[4:]) == {429}  # the 5th failure locks
    response = _ui_login(client, "p_manager", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "30" in page  # Chinese first, says when to retry
    assert response["Retry-After"] == "1800"


def test_the_lockout_page_speaks_english_to_an_english_session(personas):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for i in range(5):
        response = _ui_login(client, "p_manager", f"guess-{i}")
    assert response.status_code == 429
    assert "Sign-in temporarily blocked" in response.content.decode()


def test_the_right_password_still_works_before_the_limit(personas):
    client = Client()
    for i in range(4):
        _ui_login(client, "p_manager", f"guess-{i}")
    response = _ui_login(client, "p_manager", PASSWORD)
    assert response.status_code == 302 and _signed_in(client)


def test_admin_sign_in_refuses_the_right_password_after_40_wrong(personas):
    create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    client = Client()
    statuses = [_ui_login(client, "root", f"guess-{i}", ADMIN_LOGIN).status_code
                for i in range(40)]
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}
    response = _ui_login(client, "root", PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429
    assert not _signed_in(client)


def test_admin_sign_in_works_without_guessing(personas):
    create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    client = Client()
    assert _ui_login(client, "root", PASSWORD, ADMIN_LOGIN).status_code == 302
    assert _signed_in(client)


def test_token_endpoint_refuses_the_right_password_after_40_wrong(personas):
    client = APIClient()
    statuses = [_api_login(client, "p_manager", f"guess-{i}").status_code for i in range(40)]
    assert statuses[:4] == [400] * 4 and set(statuses[4:]) == {429}
    response = _api_login(client, "p_manager", PASSWORD)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and body["detail"]
    assert "token" not in body
    assert response["Retry-After"] == "1800"


# --- per username and per address, separately -------------------------------------------------

def test_one_address_guessing_many_accounts_is_locked(personas):
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    for name in ["p_tto", "p_edu", "p_health", "p_haidian", "p_reviewer"]:
        assert _ui_login(attacker, name, "wrong").status_code in (200, 429)
    # The address is locked, even for an account it never guessed and the right password...
    assert _ui_login(attacker, "p_manager", PASSWORD).status_code == 429
    assert _api_login(APIClient(REMOTE_ADDR="198.51.100.7"), "p_manager",
                      PASSWORD).status_code == 429
    # ...but none of those accounts is: one failure each.
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    assert _ui_login(elsewhere, "p_tto", PASSWORD).status_code == 302


def test_colleagues_behind_one_address_are_not_locked_out_by_a_few_typos(personas, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 30
    office = Client(REMOTE_ADDR="198.51.100.9")
    for name in ["p_tto", "p_edu", "p_health", "p_haidian", "p_reviewer", "p_enterprise"]:
        assert _ui_login(office, name, "typo").status_code == 200
    assert _ui_login(office, "p_manager", PASSWORD).status_code == 302
    # ...while one account is still locked after five, and the address at its own limit.
    for _ in range(5):
        _ui_login(Client(REMOTE_ADDR="198.51.100.9"), "p_outsider", "wrong")
    assert _ui_login(Client(REMOTE_ADDR="198.51.100.9"), "p_outsider",
                     PASSWORD).status_code == 429
    for i in range(30):
        _ui_login(Client(REMOTE_ADDR="198.51.100.99"), f"nobody{i}", "wrong")
    assert _ui_login(Client(REMOTE_ADDR="198.51.100.99"), "p_tto", PASSWORD).status_code == 429


def test_one_account_guessed_from_many_addresses_is_locked(personas):
    for i in range(5):
        _ui_login(Client(REMOTE_ADDR=f"198.51.100.{10 + i}"), "p_tto", "wrong")
    owner = Client(REMOTE_ADDR="203.0.113.50")
    assert _ui_login(owner, "p_tto", PASSWORD).status_code == 429
    assert _api_login(APIClient(REMOTE_ADDR="203.0.113.50"), "p_tto", PASSWORD).status_code == 429
    # Other people at that address are not affected.
    assert _ui_login(owner, "p_manager", PASSWORD).status_code == 302


def test_the_lockout_is_shared_by_all_three_entry_points(personas):
    create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    _ui_login(Client(), "root", "wrong-1")
    _ui_login(Client(), "root", "wrong-2", ADMIN_LOGIN)
    for i in range(3):
        _api_login(APIClient(), "root", f"wrong-api-{i}")
    assert _ui_login(Client(REMOTE_ADDR="203.0.113.9"), "root", PASSWORD,
                     ADMIN_LOGIN).status_code == 429


def test_a_successful_sign_in_clears_only_that_accounts_failures(personas):
    attacker = Client(REMOTE_ADDR="198.51.100.20")
    for i in range(4):
        _ui_login(attacker, "p_tto", f"wrong-{i}")
    # Signing in to one's own account between guesses does not wipe the address's count...
    assert _ui_login(attacker, "p_outsider", PASSWORD).status_code == 302
    attacker = Client(REMOTE_ADDR="198.51.100.20")
    assert _ui_login(attacker, "p_tto", "wrong-4").status_code == 429
    # ...while the owner's own success resets the owner's failures (as axes does).
    client = Client(REMOTE_ADDR="203.0.113.60")
    for i in range(4):
        _ui_login(client, "p_manager", f"wrong-{i}")
    assert _ui_login(client, "p_manager", PASSWORD).status_code == 302
    client = Client(REMOTE_ADDR="203.0.113.61")
    for i in range(4):
        _ui_login(client, "p_manager", f"again-{i}")
    assert _ui_login(client, "p_manager", PASSWORD).status_code == 302


# --- the client address: forwarded headers only from trusted proxies ----------------------------

def test_forged_forwarded_for_does_not_escape_the_lockout(personas):
    """TRUSTED_PROXY_COUNT = 0 (the default): X-Forwarded-For is ignored."""
    client = Client()
    for i in range(5):
        _ui_login(client, f"nobody{i}", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    response = _ui_login(client, "p_manager", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    api = APIClient()
    response = _api_login(api, "p_manager", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.98")
    assert response.status_code == 429


def test_with_one_trusted_proxy_the_address_it_saw_is_the_client(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    request = factory.post(LOGIN, REMOTE_ADDR="10.0.0.2",
                           HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"  # right-most but one of XFF + REMOTE_ADDR
    assert client_ip(factory.post(LOGIN, REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    assert client_ip(factory.post(LOGIN, REMOTE_ADDR="10.0.0.2",
                                  HTTP_X_FORWARDED_FOR="not-an-address")) == "10.0.0.2"
    # Behind the proxy: one client forging the left part of the header is still one client.
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    for i in range(5):
        _ui_login(proxy, f"nobody{i}", "wrong",
                  HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 203.0.113.5")
    assert _ui_login(proxy, "p_manager", PASSWORD,
                     HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked.
    assert _ui_login(proxy, "p_manager", PASSWORD,
                     HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_one_setting_feeds_the_lockout_and_the_api_throttle(monkeypatch):
    """TRUSTED_PROXY_COUNT also sets DRF's NUM_PROXIES, so both agree on the client."""
    settings_file = Path(__file__).resolve().parents[2] / "settings.py"
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    loaded = runpy.run_path(str(settings_file))
    assert loaded["TRUSTED_PROXY_COUNT"] == 1
    assert loaded["REST_FRAMEWORK"]["NUM_PROXIES"] == 1
    monkeypatch.delenv("TRUSTED_PROXY_COUNT")
    assert runpy.run_path(str(settings_file))["REST_FRAMEWORK"]["NUM_PROXIES"] == 0


def test_the_api_throttle_uses_the_same_client_address(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(TOKEN, REMOTE_ADDR="10.0.0.2",
                                    HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert BaseThrottle().get_ident(request) == client_ip(request) == "203.0.113.5"


# --- every lockout logged and audited; no account oracle --------------------------------------

def _strip_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"', "", html)


def test_a_lockout_is_logged_and_audited_once(personas, caplog):
    client = Client(REMOTE_ADDR="198.51.100.30")
    with caplog.at_level(logging.INFO, logger="tmhub.security"):
        for i in range(8):
            _ui_login(client, "p_manager", f"wrong-{i}")
    records = [r for r in caplog.records if r.name == "tmhub.security"]
    locked = [r for r in records if r.levelno == logging.WARNING and "locked out" in r.message]
    assert len(locked) == 2  # the account and the address, each when it reached the limit
    assert all("198.51.100.30" in r.getMessage() for r in locked)
    assert [r for r in records if "refused during lockout" in r.getMessage()]  # later attempts
    events = WorkflowEvent.objects.filter(event_type="accounts.login.locked_out",
                                          object_id=str(personas.manager.pk))
    assert events.count() == 1
    event = events.get()
    assert event.data["ip_address"] == "198.51.100.30" and set(event.data["locked"]) == {
        "username", "ip_address"}


def test_a_lockout_of_an_unknown_username_looks_the_same_and_is_logged(personas, caplog):
    def lock(username, address):
        client = Client(REMOTE_ADDR=address)
        for i in range(5):
            response = _ui_login(client, username, f"wrong-{i}")
        return response

    with caplog.at_level(logging.WARNING, logger="tmhub.security"):
        unknown = lock("no_such_person", "198.51.100.40")
    known = lock("p_manager", "198.51.100.41")
    assert unknown.status_code == known.status_code == 429
    assert _strip_tokens(unknown.content.decode()) == _strip_tokens(known.content.decode())
    assert any("no_such_person" in r.getMessage() for r in caplog.records)
    assert WorkflowEvent.objects.filter(event_type="accounts.login.locked_out").count() == 1
    api_unknown = _api_login(APIClient(REMOTE_ADDR="198.51.100.40"), "no_such_person", "x")
    api_known = _api_login(APIClient(REMOTE_ADDR="198.51.100.41"), "p_manager", "x")
    assert api_unknown.json() == api_known.json()


# --- unlocking ---------------------------------------------------------------------------------

def _lock_p_manager():
    """p_manager guessed from five addresses (one failure each): the account is locked."""
    for i in range(5):
        _ui_login(Client(REMOTE_ADDR=f"198.51.100.{50 + i}"), "p_manager", "wrong")


def _lock_address(address="198.51.100.60"):
    """One address guessing five unknown usernames: the address is locked."""
    client = Client(REMOTE_ADDR=address)
    for i in range(5):
        _ui_login(client, f"nobody{i}", "wrong")


def test_the_city_sees_and_clears_a_lockout(personas):
    _lock_p_manager()
    _lock_address("198.51.100.60")
    admin = client_for(personas.municipal_admin)
    page = admin.get("/accounts/lockouts/").content.decode()
    assert "p_manager" in page and "198.51.100.60" in page and "198.51.100.52" in page
    assert "data-confirm" in page
    assert "p_manager" not in admin.get("/accounts/lockouts/?q=nobody").content.decode()
    found = admin.get("/accounts/lockouts/?q=manag").content.decode()
    assert "p_manager" in found and "198.51.100.60" not in found

    response = admin.post("/accounts/lockouts/unlock/", {"kind": "username",
                                                         "value": "p_manager"})
    assert response.status_code == 302
    assert _ui_login(Client(REMOTE_ADDR="203.0.113.70"), "p_manager", PASSWORD).status_code == 302
    # The address stays locked until it is unlocked too.
    assert _ui_login(Client(REMOTE_ADDR="198.51.100.60"), "p_tto", PASSWORD).status_code == 429
    admin.post("/accounts/lockouts/unlock/", {"kind": "ip_address", "value": "198.51.100.60"})
    assert _ui_login(Client(REMOTE_ADDR="198.51.100.60"), "p_tto", PASSWORD).status_code == 302
    page = admin.get("/accounts/lockouts/").content.decode()
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    assert "p_manager" not in table and "198.51.100.60" not in table
    events = WorkflowEvent.objects.filter(event_type="accounts.login.unlocked",
                                          actor=personas.municipal_admin)
    assert events.count() == 2
    assert events.filter(object_id=str(personas.manager.pk),
                         data__value="p_manager").exists()


def test_nobody_else_sees_or_clears_lockouts(personas):
    create_user(actor=SYSTEM, username="locked_person", password=PASSWORD)
    for i in range(5):
        _ui_login(Client(REMOTE_ADDR=f"198.51.100.{70 + i}"), "locked_person", "wrong")
    _lock_address("198.51.100.60")
    for _name, user in personas.signed_in():
        if user == personas.municipal_admin:
            continue
        client = client_for(user)
        assert client.get("/accounts/lockouts/").status_code == 404
        assert client.post("/accounts/lockouts/unlock/", {
            "kind": "username", "value": "locked_person"}).status_code == 404
        assert client.post("/accounts/lockouts/unlock/", {
            "kind": "ip_address", "value": "198.51.100.60"}).status_code == 404
    assert _ui_login(Client(REMOTE_ADDR="203.0.113.71"), "locked_person",
                     PASSWORD).status_code == 429
    assert _ui_login(Client(REMOTE_ADDR="198.51.100.60"), "p_tto", PASSWORD).status_code == 429
    assert not WorkflowEvent.objects.filter(event_type="accounts.login.unlocked").exists()


def test_superusers_unlock_in_the_django_admin(personas):
    _lock_p_manager()
    root = create_user(actor=SYSTEM, username="root", password=PASSWORD, is_superuser=True)
    page = client_for(root).get("/admin/axes/accessattempt/")
    assert page.status_code == 200 and "p_manager" in page.content.decode()


def test_the_lockouts_page_has_an_empty_state_and_pages(personas):
    admin = client_for(personas.municipal_admin)
    assert "没有被锁定的账户或地址" in admin.get("/accounts/lockouts/").content.decode()
    for i in range(30):
        client = Client(REMOTE_ADDR=f"198.51.{100 + i // 200}.{i % 200 + 1}")
        for j in range(5):
            _ui_login(client, f"guessed{i}", f"wrong-{j}")
    first = admin.get("/accounts/lockouts/").content.decode()
    assert "?page=2" in first


# --- password-reset mail -----------------------------------------------------------------------

@pytest.fixture
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_reset_mail_is_limited_per_email_address(personas, clean_cache):
    client = Client()
    responses = [client.post("/accounts/password/reset/", {"email": "p_manager@example.cn"})
                 for _ in range(7)]
    assert len(mail.outbox) == 3
    # Over the limit the answer is the same as when a mail goes out.
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {"/accounts/password/reset/done/"}
    # Letter case does not make a new address.
    client.post("/accounts/password/reset/", {"email": "P_Manager@Example.CN"})
    assert len(mail.outbox) == 3
    # Another account is not affected.
    client.post("/accounts/password/reset/", {"email": "p_tto@example.cn"})
    assert len(mail.outbox) == 4


def test_reset_mail_is_limited_per_client_address(personas, clean_cache, settings):
    settings.PASSWORD_RESET_MAILS_PER_ADDRESS = 4
    client = Client(REMOTE_ADDR="198.51.100.80")
    emails = [f"{name}@example.cn" for name in
              ["p_manager", "p_tto", "p_edu", "p_health", "p_haidian", "p_reviewer"]]
    for email in emails:
        response = client.post("/accounts/password/reset/", {"email": email},
                               HTTP_X_FORWARDED_FOR="192.0.2.1")
        assert response.status_code == 302
    assert len(mail.outbox) == 4
    Client(REMOTE_ADDR="198.51.100.81").post("/accounts/password/reset/",
                                              {"email": "p_reviewer@example.cn"})
    assert len(mail.outbox) == 5
