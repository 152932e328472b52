"""Directory at scale: capped counts, stable sorting, the Python-rendered filter selects.

The speed itself is measured by bench/bench_talent.py (100,000 managers on PostgreSQL); these
tests pin down the behaviour the faster code must keep.
"""

import re

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.listing import CappedCountPaginator
from tmhub.orgs.models import Organization
from tmhub.talent.filters import DirectoryFilter, FastSelect
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import make_profile, register, resident_id
from tmhub.talent.views import DirectoryView

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(personas):
    """Five listed managers, the last two with the same years of experience as the first."""
    profiles = []
    for i, years in enumerate([3, 9, 5, 3, 3]):
        profile = make_profile(employer=personas.university, district=personas.haidian,
                               name=f"王{i}", id_number=resident_id(700 + i),
                               years_experience=years)
        register(profile, employer_admin=personas.institution_admin,
                 municipal=personas.municipal_admin)
        profiles.append(profile)
    return profiles


def _page(client, **params):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("talent:directory"), params)


def test_small_result_sets_keep_their_exact_count(listed):
    response = _page(client_for(None), page_size=2)
    paginator = response.context["paginator"]
    assert (paginator.count, paginator.num_pages, paginator.count_capped) == (5, 3, False)
    assert "5 records" in response.content.decode()
    assert "Page 1 of 3" in response.content.decode()


def test_large_result_sets_show_more_than_the_cap_and_every_page_stays_reachable(
        listed, monkeypatch):
    # Given a cap below the size of the set (1000 in production, for 100,000 managers)
    monkeypatch.setattr(DirectoryView, "count_cap", 2)
    client = client_for(None)
    # When the first page is shown, the count stops after the cap
    first = _page(client, page_size=1)
    paginator = first.context["paginator"]
    assert paginator.count_capped and paginator.cap == 2
    html = first.content.decode()
    assert "More than 2 records" in html and "Page 1" in html and "Page 1 of" not in html
    assert first.context["page_obj"].has_next()
    # Then a page beyond the cap is still served (the cap grows to the requested page)
    last = _page(client, page_size=1, page=5)
    assert last.status_code == 200
    assert last.context["paginator"].count == 5 and not last.context["paginator"].count_capped
    assert not last.context["page_obj"].has_next()
    # And a page beyond the set is still a 404, as before
    assert _page(client, page_size=1, page=6).status_code == 404


def test_capped_paginator_on_plain_lists():
    assert CappedCountPaginator(list(range(10)), 3, cap=4).count == 5
    assert CappedCountPaginator(list(range(3)), 3, cap=4).count == 3


def test_sorting_is_stable_across_pages(listed):
    client = client_for(None)
    names = []
    for page in (1, 2, 3):
        response = _page(client, ordering="-experience", page_size=2, page=page)
        names += [m.full_name for m in response.context["object_list"]]
    expected = [p.full_name for p in sorted(listed, key=lambda p: (-p.years_experience, -p.pk))]
    assert names == expected
    api = client.get(reverse("manager-list"), {"ordering": "name"}).json()
    assert [m["full_name"] for m in api["results"]] == sorted(p.full_name for p in listed)


def _canonical(html: str) -> str:
    """The markup without white space, with the <select> tag's attributes in one order (the
    searchable select adds its data attributes before Django's own)."""
    html = "".join(html.split())
    opening = re.match(r"<select([^>]*)>", html)
    attributes = sorted(re.findall(r'[\w-]+="[^"]*"', opening.group(1)))
    return "<select" + "".join(attributes) + ">" + html[opening.end():]


def test_filter_selects_render_like_django_selects(listed, personas):
    # An institution label with markup must be escaped exactly as Django escapes it.
    Organization.objects.filter(pk=personas.university.pk).update(name="<b>清华 & 北大</b>")
    data = {"institution": personas.university.pk, "level": "intermediate",
            "ordering": "-experience", "district": personas.haidian.pk}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            form = DirectoryFilter(data, queryset=ManagerProfile.objects.all()).form
            BootstrapFormMixin.style_fields(form)
            for bound in form:
                if not isinstance(bound.field.widget, FastSelect):
                    continue
                fast = str(bound)
                django = forms.Select.render(bound.field.widget, bound.html_name, bound.value(),
                                             {"id": bound.auto_id})
                assert _canonical(fast) == _canonical(django), bound.name
    assert "&lt;b&gt;清华 &amp; 北大&lt;/b&gt;" in str(form["institution"])
    assert 'selected' in str(form["institution"])
