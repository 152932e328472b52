"""The matching partials and API: reasons shown, scopes kept, bounded queries."""

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import client_for
from tmhub.matching.tests.factories import matching_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return matching_world(personas)


def test_demand_partial_lists_the_achievement_with_reasons(personas, world,
                                                           django_assert_max_num_queries):
    client = client_for(personas.enterprise)
    url = reverse("matching:achievements-for-demand", args=[world.demand.pk])
    client.get(url)  # builds the index on first use
    with django_assert_max_num_queries(12):
        response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert world.published.title in html and world.draft.title not in html
    assert "视觉检测" in html  # a matched term is shown as the reason
    assert "TRL 6" in html


def test_achievement_partial_lists_published_demands_only(personas, world):
    response = client_for(personas.institution_admin).get(
        reverse("matching:demands-for-achievement", args=[world.published.pk]))
    html = response.content.decode()
    assert world.demand.title in html and world.draft_demand.title not in html


def test_project_partial_recommends_the_colleague_not_the_assigned_lead(personas, world):
    response = client_for(personas.institution_admin).get(
        reverse("matching:managers-for-project", args=[world.project.pk]))
    html = response.content.decode()
    assert world.colleague.full_name in html  # serves the project's field, same institution
    assert "p_manager" not in html  # already leads the project


def test_confidential_sources_are_404(personas, world):
    assert client_for(personas.outsider).get(
        reverse("matching:demands-for-achievement", args=[world.draft.pk])).status_code == 404
    assert client_for(personas.enterprise).get(
        reverse("matching:managers-for-project", args=[world.project.pk])).status_code == 404


def test_providers_page_and_partial(personas, world):
    client = client_for(None)
    url = reverse("matching:providers-for-need")
    page = client.get(url, {"q": "专利检索"})
    assert page.status_code == 200 and personas.provider_org.name in page.content.decode()
    partial = client.get(url, {"q": "专利检索"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert personas.provider_org.name in partial.content.decode()


def test_api_returns_the_same_matches_as_json(personas, world):
    response = client_for(personas.enterprise).get(
        reverse("match-achievements-for-demand", args=[world.demand.pk]), {"limit": 5})
    results = response.json()["results"]
    assert results[0]["id"] == world.published.pk
    assert results[0]["matched_terms"] and results[0]["reasons"]
    assert results[0]["facts"]["shared_field"] == "AI"
    assert results[0]["url"].endswith(world.published.get_absolute_url())
    # the sentence and level the panel prints, in the caller's language
    assert results[0]["reason"] == "；".join(results[0]["reasons"]) and "关键词" in results[0][
        "reason"]
    assert results[0]["level"] in ("high", "medium", "low") and results[0]["level_label"]
    reader = client_for(personas.enterprise)
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = reader.get(reverse("match-achievements-for-demand", args=[world.demand.pk])
                         ).json()["results"][0]
    assert "; " in english["reason"] or len(english["reasons"]) == 1
    assert english["level_label"] != results[0]["level_label"]
    managers = client_for(personas.institution_admin).get(
        reverse("match-managers-for-project", args=[world.project.pk])).json()["results"]
    assert managers[0]["facts"]["deals"] == 0 and "active_projects" in managers[0]["facts"]


def test_each_record_page_include_loads_its_partial(personas, world):
    """What a page includes: the partial named after what it asks, the record under its own
    name in the context."""
    from django.template.loader import render_to_string

    for include, context, name in (
        ("matching/_achievements_for_demand.html", {"demand": world.demand},
         "matching:achievements-for-demand"),
        ("matching/_demands_for_achievement.html", {"achievement": world.published},
         "matching:demands-for-achievement"),
        ("matching/_managers_for_project.html", {"project": world.project},
         "matching:managers-for-project"),
    ):
        (record,) = context.values()
        html = render_to_string(include, context)
        assert f'hx-get="{reverse(name, args=[record.pk])}"' in html
        assert 'hx-trigger="load"' in html and "<h2" in html


def test_record_pages_show_their_matching_panel(personas, world):
    """The transfer pages include the panel they want (what the includes above render)."""
    for client, record, name in (
        (client_for(personas.enterprise), world.demand, "matching:achievements-for-demand"),
        (client_for(personas.enterprise), world.published, "matching:demands-for-achievement"),
        (client_for(personas.institution_admin), world.project, "matching:managers-for-project"),
    ):
        page = client.get(record.get_absolute_url())
        assert page.status_code == 200
        assert f'hx-get="{reverse(name, args=[record.pk])}"' in page.content.decode()
