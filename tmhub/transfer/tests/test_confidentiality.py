"""An unpublished disclosure is seen only by its institution, its assigned managers and
municipal administrators: in pages, search, exports, the API and the dashboard."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.transfer.tests.chain import make_chain

SECRET = "机密发明"
INSIDERS = {"municipal_admin", "institution_admin", "manager"}


@pytest.fixture
def chain(personas):
    return make_chain(personas)


def _everyone(personas):
    return [("anonymous", None)] + personas.signed_in()


@pytest.mark.django_db
@pytest.mark.parametrize("url_name,query", [
    ("transfer:achievement-list", ""),
    ("transfer:achievement-list", "q=机密"),
    ("transfer:achievement-list", "export=csv"),
    ("transfer:achievement-list", "status=draft"),
    ("transfer:home", ""),
    ("achievement-list", ""),
    ("achievement-list", "search=机密"),
])
def test_a_draft_disclosure_is_visible_only_to_insiders(personas, chain, url_name, query):
    url = reverse(url_name) + (f"?{query}" if query else "")
    for name, user in _everyone(personas):
        body = client_for(user).get(url).content.decode()
        if url_name == "transfer:home":
            assert SECRET not in body, name  # the dashboard shows only published titles
        else:
            assert (SECRET in body) == (name in INSIDERS), f"{name} {url}"


@pytest.mark.django_db
def test_published_pages_hide_inventors_terms_and_files(personas, chain):
    url = reverse("transfer:achievement-detail", args=[chain.published.pk])
    public = client_for(personas.enterprise).get(url).content.decode()
    insider = client_for(personas.institution_admin).get(url).content.decode()
    assert "王教授" not in public and "王教授" in insider
    api = client_for(None).get(reverse("achievement-detail", args=[chain.published.pk])).json()
    assert "inventors" not in api and "disclosure_number" not in api


@pytest.mark.django_db
def test_demand_contact_is_hidden_from_the_public(personas, chain):
    url = reverse("transfer:demand-detail", args=[chain.demand_published.pk])
    assert "13900000000" not in client_for(None).get(url).content.decode()
    assert "13900000000" not in client_for(personas.outsider).get(url).content.decode()
    assert "13900000000" in client_for(personas.manager).get(url).content.decode()
    api = client_for(None).get(reverse("demand-detail", args=[chain.demand_published.pk])).json()
    assert "contact_phone" not in api


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["transfer:achievement-list", "transfer:project-list",
                                      "transfer:contract-list", "transfer:split-list",
                                      "transfer:demand-list", "transfer:project-board"])
def test_list_pages_use_a_bounded_number_of_queries(personas, chain, url_name,
                                                    django_assert_max_num_queries):
    client = client_for(personas.manager)
    client.get(reverse(url_name))
    with django_assert_max_num_queries(25):
        assert client.get(reverse(url_name)).status_code == 200


def test_api_filters_refuse_impossible_years_and_anonymous_mine(personas):
    from rest_framework.test import APIClient

    client = APIClient()
    assert client.get("/api/v1/contracts/?year=0").status_code == 400
    assert client.get("/api/v1/reward-splits/?year=99999").status_code == 400
    response = client.get("/api/v1/projects/?mine=true")
    assert response.status_code == 200 and response.json()["count"] == 0
