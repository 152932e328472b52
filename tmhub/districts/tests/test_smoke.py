"""Given the districts' records, when an officer opens every page and list, then each answers
200 in a bounded number of queries however many rows there are."""

import pytest

from conftest import client_for
from tmhub.districts.tests.world import make_world

pytestmark = pytest.mark.django_db


def test_pages_render(personas):
    """Given the world, when the Haidian officer opens each page, then each answers 200."""
    w = make_world(personas)
    c = client_for(personas.district_officer)
    for url in ["/districts/", "/districts/110108/", "/districts/agreements/",
                w.agreement.get_absolute_url(), "/districts/posts/",
                w.open_post.get_absolute_url(), w.draft_post.get_absolute_url(),
                "/districts/events/", w.coming_event.get_absolute_url(),
                w.past_event.get_absolute_url(), "/districts/landings/",
                w.landing.get_absolute_url(), "/districts/landings/new/",
                "/districts/posts/new/", "/districts/events/new/", "/districts/agreements/new/",
                "/api/v1/landings/", "/api/v1/events/", "/api/v1/commissioner-posts/",
                "/api/v1/liaison-agreements/"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)


@pytest.mark.parametrize("url", ["/districts/", "/districts/110108/", "/districts/posts/",
                                 "/districts/events/", "/districts/landings/",
                                 "/districts/agreements/"])
def test_list_pages_take_bounded_queries(personas, django_assert_max_num_queries, url):
    """Given the world made twice, when the officer lists, then the page takes at most
    a fixed number of queries (no query per row)."""
    for _ in range(2):
        make_world(personas)
    c = client_for(personas.district_officer)
    c.get(url)
    with django_assert_max_num_queries(30):
        assert c.get(url).status_code == 200
