"""The "My work" badge in the navigation: the number of items awaiting the reader, loaded after
the page (so no page waits for every module's sources) and counted once per person and data
generation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from tmhub.core import work_items
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.orgs.models import Organization
from tmhub.orgs.services import create_organization, update_organization

pytestmark = pytest.mark.django_db

BADGE = 'class="badge rounded-pill bg-danger"'


@pytest.fixture
def source(monkeypatch):
    """A source counting the organisations named 待办… the reader may see (one item each)."""
    calls = []
    monkeypatch.setattr(work_items, "REGISTRY", {})

    @work_items.register("core.test_badge", module="core", label="Test")
    def organisations_to_look_at(scope):
        calls.append(scope.user_id)
        rows = work_items.restrict(Organization.objects.filter(name__startswith="待办"), scope)
        return [work_items.WorkItem(title=o.name, url=o.get_absolute_url()) for o in rows]

    return calls


def _badge(html: str) -> str | None:
    start = html.find(BADGE)
    if start < 0:
        return None
    return html[html.index(">", start) + 1:html.index("</span>", start)]


def test_pages_load_the_badge_after_them_without_counting(personas, source):
    html = client_for(personas.municipal_admin).get(reverse("orgs:organization-list")).content
    assert f'hx-get="{reverse("core:my-work-badge")}"' in html.decode()
    assert source == []  # the page itself ran no source


def test_the_badge_counts_the_work_and_follows_a_change(personas, source):
    client = client_for(personas.municipal_admin)
    page = reverse("core:my-work-badge")
    assert _badge(client.get(page).content.decode()) is None  # nothing awaits: no badge
    create_organization(actor=SYSTEM, name="待办大学", kind=OrgKind.UNIVERSITY)
    assert _badge(client.get(page).content.decode()) == "1"
    calls = len(source)
    with CaptureQueriesContext(connection) as again:
        assert _badge(client.get(page).content.decode()) == "1"
    assert len(source) == calls  # the same generation: not counted again
    assert not any("待办" in q["sql"] for q in again.captured_queries)
    second = create_organization(actor=SYSTEM, name="待办医院", kind=OrgKind.MEDICAL)
    assert _badge(client.get(page).content.decode()) == "2"
    update_organization(second, actor=SYSTEM, name="已办医院")
    assert _badge(client.get(page).content.decode()) == "1"


def test_each_person_has_their_own_count(personas, source):
    create_organization(actor=SYSTEM, name="待办大学", kind=OrgKind.UNIVERSITY)
    page = reverse("core:my-work-badge")
    assert _badge(client_for(personas.municipal_admin).get(page).content.decode()) == "1"
    assert set(source) == {personas.municipal_admin.pk}
    client_for(personas.manager).get(page)
    assert personas.manager.pk in source  # counted for the manager, not read from the city's


def test_a_session_owing_its_second_factor_loads_no_badge(personas, client):
    """The badge's request would be held for the second factor and answered with the two-factor
    page, whose navigation would load the badge again: the page never went idle."""
    from tmhub.accounts.two_factor import requires_two_factor

    assert requires_two_factor(personas.municipal_admin)
    client.force_login(personas.municipal_admin)  # signed in, no code entered yet
    html = client.get(reverse("accounts:two-factor-setup")).content.decode()
    assert reverse("core:my-work-badge") not in html
    verified = client_for(personas.municipal_admin)
    html = verified.get(reverse("orgs:organization-list")).content.decode()
    assert reverse("core:my-work-badge") in html
