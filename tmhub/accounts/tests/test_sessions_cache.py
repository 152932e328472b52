"""Sessions on the production stack: read from the shared Redis cache (a signed-in request
reads no session row), written through to the database, and ended for every process when
the user signs out. With no Redis the sessions stay in the database alone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def redis_sessions():
    redis.Redis.from_url(REDIS_URL).ping()  # fails loudly if the service is down
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": "test-sessions"}}
    with override_settings(CACHES=caches,
                           SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        yield
        from django.core.cache import cache

        cache.clear()


def _session_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"]]


def test_a_signed_in_request_reads_the_session_from_redis(personas, redis_sessions):
    client = client_for(personas.manager)
    home = reverse("transfer:home")
    client.get(home)
    assert _session_queries(client, home) == []
    # Written through: the database holds the same session.
    assert Session.objects.filter(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
                                  ).exists()


def test_signing_out_ends_the_session_everywhere(personas, redis_sessions):
    client = client_for(personas.manager)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("talent:my-profile")).status_code in (200, 302)
    client.post(reverse("accounts:logout"))
    # Another process (another client with the same cookie) no longer finds the session.
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = stolen.get(reverse("talent:my-profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Session.objects.filter(session_key=cookie).exists()


def _engine(redis_url: str | None) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tmhub.settings", "DEBUG": "1",
           "SECURE_HTTPS": "0"}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from django.conf import settings; "
         "print(settings.SESSION_ENGINE)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_the_cache_holds_sessions_only_when_it_is_shared():
    assert _engine(REDIS_URL) == "django.contrib.sessions.backends.cached_db"
    # A cache in each process's memory would keep a session another worker has ended.
    assert _engine(None) == "django.contrib.sessions.backends.db"
