"""The list cache (tmhub.core.result_cache): a repeated search skips the ranking and the count,
and no change to any record is ever hidden by it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from conftest import client_for
from tmhub.core import result_cache
from tmhub.transfer import services
from tmhub.transfer.tests.chain import make_achievement

SEARCH = "/transfer/achievements/?q=固态电池"
API_SEARCH = "/api/v1/achievements/?search=固态电池"


def _titles(response):
    return [row.title for row in response.context["page_obj"].object_list]


def _counts(queries):
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


@pytest.fixture
def published(personas):
    return make_achievement(personas, title="固态电池电解质的低温制备", publish=True)


def test_given_a_search_when_it_is_repeated_then_the_count_is_not_run_again(
    client, published
):
    with CaptureQueriesContext(connection) as first:
        assert _titles(client.get(SEARCH)) == [published.title]
    with CaptureQueriesContext(connection) as second:
        assert _titles(client.get(SEARCH)) == [published.title]
    assert _counts(first.captured_queries)
    assert not _counts(second.captured_queries)
    assert len(second.captured_queries) < len(first.captured_queries)


def test_given_a_cached_search_when_an_achievement_is_published_then_it_is_found(
    client, personas, published
):
    client.get(SEARCH)
    other = make_achievement(personas, title="固态电池隔膜涂层", publish=False)
    assert _titles(client.get(SEARCH)) == [published.title]  # a draft stays out
    services.publish_achievement(other, actor=personas.institution_admin)
    assert sorted(_titles(client.get(SEARCH))) == sorted([published.title, other.title])


def test_given_a_cached_search_when_an_achievement_is_withdrawn_then_it_is_gone(
    client, personas, published
):
    assert _titles(client.get(SEARCH)) == [published.title]
    services.withdraw_achievement(published, actor=personas.institution_admin, reason="撤回")
    assert _titles(client.get(SEARCH)) == []


def test_each_viewer_has_their_own_entry(client, personas, published):
    draft = make_achievement(personas, title="固态电池机密配方", publish=False)
    assert _titles(client.get(SEARCH)) == [published.title]
    insider = client_for(personas.institution_admin)
    assert sorted(_titles(insider.get(SEARCH))) == sorted([published.title, draft.title])
    assert _titles(client.get(SEARCH)) == [published.title]


def test_the_api_list_follows_changes_too(client, personas, published):
    def titles():
        return [row["title"] for row in client.get(API_SEARCH).json()["results"]]

    assert titles() == [published.title]
    with CaptureQueriesContext(connection) as again:
        assert titles() == [published.title]
    assert not _counts(again.captured_queries)
    assert client.get(API_SEARCH).json()["count"] == 1
    services.withdraw_achievement(published, actor=personas.institution_admin, reason="撤回")
    assert titles() == [] and client.get(API_SEARCH).json()["count"] == 0


def test_a_page_beyond_the_cached_count_is_404(client, published):
    client.get(SEARCH)
    assert client.get(SEARCH + "&page=2").status_code == 404
    assert client.get(API_SEARCH).status_code == 200
    assert client.get(API_SEARCH + "&page=2").status_code == 404


def test_a_write_moves_the_generation_inside_its_transaction_and_again_on_commit(
    personas, published, django_capture_on_commit_callbacks
):
    before = result_cache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_achievement(published, actor=personas.institution_admin, reason="撤回")
        inside = result_cache.generation()
    assert before < inside < result_cache.generation()


@override_settings(CACHES={"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
}})
def test_an_unreachable_cache_costs_speed_never_the_page_or_the_write(
    client, personas, published
):
    assert _titles(client.get(SEARCH)) == [published.title]
    services.withdraw_achievement(published, actor=personas.institution_admin, reason="撤回")
    assert _titles(client.get(SEARCH)) == []


def test_the_transfer_home_figures_follow_a_publication(client, personas, published):
    def figure():
        return client.get("/transfer/").context["published_achievements"]

    assert figure() == 1
    with CaptureQueriesContext(connection) as again:
        assert figure() == 1
    assert not any('"status" = \'published\'' in q["sql"] and "COUNT(" in q["sql"]
                   and "transfer_achievement" in q["sql"] for q in again.captured_queries)
    other = make_achievement(personas, title="固态电池隔膜涂层", publish=False)
    services.publish_achievement(other, actor=personas.institution_admin)
    assert figure() == 2
