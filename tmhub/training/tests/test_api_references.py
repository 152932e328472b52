"""Enrolling someone the caller may not enrol reads like enrolling a missing user."""

import json

import pytest

from conftest import client_for
from tmhub.training.models import Enrolment
from tmhub.training.tests.helpers import (
    given_cohort,
    given_manager,
    given_programme,
    given_provider,
)

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321


def test_a_trainee_outside_the_callers_reach_reads_like_a_missing_user(personas):
    # Given an open cohort of a provider at another university, and the Haidian university's
    # administrator, who may enrol only their own managers
    provider = given_provider(personas, organization=personas.other_university, name="另一学院")
    cohort = given_cohort(personas, given_programme(personas, provider))
    elsewhere = given_manager(personas, "tm_elsewhere", organization=personas.other_university)
    client = client_for(personas.institution_admin)

    def enrol(trainee_id):
        return client.post("/api/v1/enrolments/",
                           json.dumps({"cohort": cohort.pk, "trainee": trainee_id}),
                           content_type="application/json")

    # When they name another institution's manager, a user who is no manager, and a missing id
    answers = [enrol(elsewhere.pk), enrol(personas.outsider.pk), enrol(MISSING_ID)]

    # Then all three answers are the same 400 does_not_exist (only the id differs)
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert answers[0].json()["fields"]["trainee"][0]["code"] == "does_not_exist"
    bodies = {a.content.replace(str(i).encode(), b"ID")
              for a, i in zip(answers, (elsewhere.pk, personas.outsider.pk, MISSING_ID))}
    assert len(bodies) == 1
    assert not Enrolment.objects.exists()
    # and their own institution's manager is enrolled
    assert enrol(personas.manager.pk).status_code == 201
    assert Enrolment.objects.get().trainee == personas.manager


def test_a_provider_enrols_any_manager_in_its_cohort(personas):
    provider = given_provider(personas)  # run by the institution admin's university
    cohort = given_cohort(personas, given_programme(personas, provider))
    elsewhere = given_manager(personas, "tm_elsewhere", organization=personas.other_university)
    response = client_for(personas.institution_admin).post(
        "/api/v1/enrolments/", json.dumps({"cohort": cohort.pk, "trainee": elsewhere.pk}),
        content_type="application/json")
    assert response.status_code == 201, response.content
