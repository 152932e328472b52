"""The public page cache (tmhub.core.page_cache): a visitor without a session gets a kept page
with a CSRF token of their own; a change to any record is seen on the next request; nobody
signed in is ever answered from it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from conftest import client_for
from tmhub.transfer import services
from tmhub.transfer.tests.chain import make_achievement

pytestmark = pytest.mark.usefixtures("page_cache_on")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def page_cache_on():
    with override_settings(PAGE_CACHE_SECONDS=300):
        yield


@pytest.fixture
def published(personas):
    return make_achievement(personas, title="固态电池电解质的低温制备", publish=True)


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries.captured_queries)


def test_given_a_visitor_when_a_page_is_asked_again_then_it_comes_without_queries(published):
    path = published.get_absolute_url()
    first, first_queries = _get(Client(), path)
    second, second_queries = _get(Client(), path)
    assert first.status_code == second.status_code == 200
    assert published.title in second.content.decode()
    assert first_queries > 0 and second_queries <= 1  # at most the generation's own read


def test_each_visitor_gets_a_token_of_their_own_that_the_csrf_check_accepts(published):
    path = published.get_absolute_url()
    Client().get(path)  # kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(path)
    token = TOKEN.search(page.content.decode()).group(1)
    other = TOKEN.search(Client().get(path).content.decode()).group(1)
    assert token != other and "__tmhub_csrf_token__" not in page.content.decode()
    assert "Cookie" in page["Vary"]
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": path,
                                               "csrfmiddlewaretoken": token})
    assert switched.status_code == 302  # not 403: the token matches the cookie it came with


def test_given_a_kept_page_when_the_record_changes_then_the_next_visitor_sees_it(
    personas, published
):
    path = published.get_absolute_url()
    assert Client().get(path).status_code == 200
    services.withdraw_achievement(published, actor=personas.institution_admin, reason="撤回")
    assert Client().get(path).status_code == 404


def test_each_language_is_kept_apart(published):
    path = published.get_absolute_url()
    chinese = Client().get(path).content.decode()
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = english_client.get(path).content.decode()
    assert 'lang="zh-hans"' in chinese and 'lang="en"' in english


def test_nobody_signed_in_is_answered_from_it_and_their_page_is_not_kept(personas, published):
    path = published.get_absolute_url()
    Client().get(path)
    insider = client_for(personas.institution_admin)
    _page, queries = _get(insider, path)
    assert queries > 1
    assert personas.institution_admin.display_name in insider.get(path).content.decode()
    assert personas.institution_admin.display_name not in Client().get(path).content.decode()


def test_a_visitor_with_a_session_is_not_answered_from_it(published):
    path = published.get_absolute_url()
    Client().get(path)
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    _page, queries = _get(with_session, path)
    assert queries > 1


def test_off_when_the_setting_is_zero(published):
    path = published.get_absolute_url()
    with override_settings(PAGE_CACHE_SECONDS=0):
        Client().get(path)
        _page, queries = _get(Client(), path)
    assert queries > 1
