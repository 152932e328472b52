"""POST /api/v1/title-eligibility/: the request and answer shapes of issue 16, to the letter."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

URL = "/api/v1/title-eligibility/"
ASK = {"level": "engineer", "direction": "operation", "education": "bachelor",
       "years_since_education": 5, "current_title": "none", "years_in_current_title": 0}


@pytest.fixture
def api(db):
    return APIClient()


def test_the_route_is_the_one_the_issue_names():
    assert reverse("evaluation-title-eligibility") == URL


def test_given_a_bachelor_with_five_years_when_anyone_asks_then_the_answer_is_eligible(api):
    """Given no sign-in, when a bachelor with five full years asks about 工程师, then the answer
    is eligible, lists every route with its verdict and the performance route unconfirmed."""
    response = api.post(URL, ASK, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"eligible", "conditions"}
    assert body["eligible"] is True
    assert all(set(c) == {"code", "met", "explanation"} for c in body["conditions"])
    by_code = {c["code"]: c["met"] for c in body["conditions"]}
    assert by_code["bachelor_5y"] is True
    assert by_code["master_2y"] is False
    assert by_code["transfer_service_capacity"] is None


def test_given_four_years_then_not_eligible_and_the_route_explains_the_gap(api):
    response = api.post(URL, {**ASK, "years_since_education": 4}, format="json",
                        HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert body["eligible"] is False
    route = next(c for c in body["conditions"] if c["code"] == "bachelor_5y")
    assert route["met"] is False and "5" in route["explanation"] and "4" in route["explanation"]


def test_given_a_lower_title_then_the_title_route_counts_its_years(api):
    body = api.post(URL, {**ASK, "level": "senior_engineer", "education": "master",
                          "current_title": "engineer", "years_in_current_title": 5},
                    format="json").json()
    assert body["eligible"] is True


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"level": "chief"}, "level", "invalid_choice"),
    ({"direction": "sales"}, "direction", "invalid_choice"),
    ({"education": "phd"}, "education", "invalid_choice"),
    ({"years_since_education": -1}, "years_since_education", "min_value"),
    ({"years_since_education": 2.5}, "years_since_education", "invalid"),
    ({"years_since_education": 200}, "years_since_education", "max_value"),
    ({"current_title": "professor"}, "current_title", "invalid_choice"),
    ({"years_in_current_title": 3}, "years_in_current_title", "no_title"),
])
def test_given_bad_input_then_a_400_names_the_field_and_its_code(api, change, field, code):
    response = api.post(URL, {**ASK, **change}, format="json")
    assert response.status_code == 400
    assert [e["code"] for e in response.json()["fields"][field]] == [code]


def test_given_a_missing_field_then_it_is_named_required(api):
    response = api.post(URL, {k: v for k, v in ASK.items() if k != "education"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["education"][0]["code"] == "required"
