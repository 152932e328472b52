"""A registration of a profile the caller may not register reads like a missing profile."""

import json

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.talent.models import ManagerRegistration
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321


def test_registering_a_hidden_profile_reads_like_a_missing_one(personas):
    hidden = make_profile(employer=personas.other_university)
    client = client_for(personas.institution_admin)
    url = reverse("registration-list")

    def post(profile_id):
        return client.post(url, json.dumps({"profile": profile_id}),
                           content_type="application/json")

    first, second = post(hidden.pk), post(MISSING_ID)
    assert first.status_code == second.status_code == 400
    assert first.json()["fields"]["profile"][0]["code"] == "does_not_exist"
    assert first.content.replace(str(hidden.pk).encode(), b"ID") == second.content.replace(
        str(MISSING_ID).encode(), b"ID")
    assert not ManagerRegistration.objects.exists()
    own = make_profile(employer=personas.university)
    assert post(own.pk).status_code == 201
