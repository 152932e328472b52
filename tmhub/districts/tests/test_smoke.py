import pytest

from conftest import client_for
from tmhub.districts.tests.world import make_world

pytestmark = pytest.mark.django_db


def test_pages_render(personas):
    w = make_world(personas)
    c = client_for(personas.district_officer)
    for url in ["/districts/", "/districts/110108/", "/districts/agreements/",
                w.agreement.get_absolute_url(), "/districts/posts/", w.open_post.get_absolute_url(),
                w.draft_post.get_absolute_url(), "/districts/events/",
                w.coming_event.get_absolute_url(), w.past_event.get_absolute_url(),
                "/districts/landings/", w.landing.get_absolute_url(), "/districts/landings/new/",
                "/districts/posts/new/", "/districts/events/new/", "/districts/agreements/new/",
                "/api/v1/landings/", "/api/v1/events/", "/api/v1/commissioner-posts/",
                "/api/v1/liaison-agreements/"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
