"""Every districts list exports what its reader may see (issue 15 item 11: exports of every
list): the four lists through core's listing, and the districts' overview of figures."""

import csv
import io

import pytest

from conftest import client_for
from tmhub.districts.tests.world import make_world

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_each_list_exports_the_rows_its_reader_sees(personas):
    """Given a Haidian and a Chaoyang landing and a Chaoyang draft post, then the Haidian
    officer's exports hold Haidian's rows and none of Chaoyang's that they may not read,
    the city's hold both."""
    w = make_world(personas)
    officer, city = client_for(personas.district_officer), client_for(personas.municipal_admin)
    landings = _rows(officer.get("/districts/landings/?export=csv"))
    titles = [row[2] for row in landings[1:]]
    assert w.landing.title in titles and w.other_landing.title not in titles
    city_landings = [row[2] for row in _rows(city.get("/districts/landings/?export=csv"))[1:]]
    assert {w.landing.title, w.other_landing.title} <= set(city_landings)
    (investment,) = [row for row in _rows(city.get("/districts/landings/?export=csv"))
                     if row[2] == w.other_landing.title]
    assert "500000.0" in investment and "某投资基金" in investment
    posts = [row[2] for row in _rows(officer.get("/districts/posts/?export=csv"))[1:]]
    assert w.open_post.title in posts and w.other_draft_post.title not in posts
    events = [row[1] for row in _rows(officer.get("/districts/events/?export=csv"))[1:]]
    assert w.coming_event.title in events
    agreements = _rows(officer.get("/districts/agreements/?export=csv"))
    assert agreements[1][1] == w.agreement.institution.name
    assert officer.get("/districts/agreements/?export=xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_the_overview_exports_its_figures(personas):
    """Given the world, then the overview's export has a row per district with the figures
    the page shows (money in yuan), for anyone who may read the page."""
    make_world(personas)
    page = client_for(None).get("/districts/")
    assert b"export=csv" in page.content
    rows = _rows(client_for(None).get("/districts/?export=csv"))
    header, body = rows[0], rows[1:]
    assert len(body) == len(page.context["rows"])
    by_name = {row[0]: row for row in body}
    shown = {r["district"].name: r["values"] for r in page.context["rows"]}
    index = [m.key for m in page.context["columns"]].index("districts.investment")
    chaoyang = by_name[personas.chaoyang.name]
    assert float(chaoyang[index + 1]) == shown[personas.chaoyang.name][index] / 100
    assert "（元）" in header[index + 1] or "(yuan)" in header[index + 1]
