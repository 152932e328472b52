"""Password guessing on the token endpoint is throttled."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_token_endpoint_throttles_guessing(personas, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "5/min"}
    try:
        client = APIClient()
        statuses = [client.post("/api/v1/auth/token/",
                                {"username": "p_tto", "password": "wrong"}).status_code
                    for _ in range(7)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert statuses[:5] == [400] * 5
    assert statuses[5:] == [429, 429]
