"""Password guessing on the token endpoint is throttled per client address, and a forged
X-Forwarded-For does not make a new client (DRF's NUM_PROXIES = TRUSTED_PROXY_COUNT)."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture
def token_rate_3_per_min():
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    # Below the sign-in lockout (LOGIN_FAILURE_LIMIT = 5), so the throttle answers first.
    cache.clear()
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/min"}
    yield
    SimpleRateThrottle.THROTTLE_RATES = original
    cache.clear()


@pytest.mark.django_db
def test_token_endpoint_throttles_guessing(personas, token_rate_3_per_min):
    client = APIClient()
    responses = [client.post("/api/v1/auth/token/", {"username": "p_tto", "password": "wrong"})
                 for _ in range(5)]
    assert [r.status_code for r in responses] == [400, 400, 400, 429, 429]
    assert responses[-1].json()["code"] == "throttled"


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_is_the_same_client(personas, token_rate_3_per_min):
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/token/", {"username": f"nobody{i}", "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(5)
    ]
    assert statuses == [400, 400, 400, 429, 429]
