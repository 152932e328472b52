"""The dashboard against the plan, honestly: after the plan's end date it says how the plan
ended (trained by then, from the records, of the target) and projects nothing; while a plan runs
the projection is a line (at least two points) from this month on; a district or institution,
for which the plan sets no target, sees counts without "of 500"; percentages name their base;
the target reads in the page's language (the plan's title is Chinese data)."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from conftest import client_for
from tmhub.core.access import get_scope
from tmhub.training.dashboard.charts import option_for
from tmhub.training.dashboard.data import DashboardData, add_months, month_start
from tmhub.training.models import PlanTarget

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language():
    """The locale middleware leaves the last request's language active in this thread: put the
    default back, so the tests after these do not run in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _plan(**dates):
    PlanTarget.objects.filter(code="trained-managers").update(**dates)


def _end_of_month(day):
    return add_months(month_start(day), 1) - datetime.timedelta(days=1)


def _page(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("training:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _option(html, key):
    match = re.search(
        rf'<script id="option-{key}" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1))


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_after_the_end_the_result_is_told_from_the_records_and_nothing_is_projected(personas, city):
    today = timezone.localdate()
    # The three valid certificates of `city` were issued this month: a plan that ended on the
    # last day of this month counts them all; one that ended a month earlier, none of them.
    _plan(deadline=_end_of_month(today))
    later = DashboardData(get_scope(personas.municipal_admin), today=add_months(today, 2))
    table, progress = later.progress_table()
    assert progress.deadline_passed and progress.trained_at_end == 3
    assert progress.trained_since_end == 0 and progress.percent_of_target == 0
    assert progress.attained is False and progress.on_track is None
    assert table.roles == ["actual", "target"]  # no projection column
    assert progress.projected_date is None

    _plan(deadline=month_start(today) - datetime.timedelta(days=1))
    progress = DashboardData(get_scope(personas.municipal_admin)).progress_table()[1]
    assert progress.trained_at_end == 0 and progress.trained_since_end == 3
    assert progress.trained == 3


def test_the_ended_plan_page_says_how_it_ended_in_each_language(personas, city):
    client = client_for(personas.municipal_admin)
    english = _page(client, "en")
    # The seeded plan (2022–2025) ended on 2025-12-31; `city` was trained after it.
    assert (
        "The plan ended on 2025-12-31 with 0 of 500 trained managers (0% of the target)."
        in _text(english)
    )
    assert "Target not attained" in english and "Trained since the plan ended: 3." in english
    assert "培养技术经理人 500 名" not in english  # the plan's title is data in Chinese
    progress = _option(english, "progress")
    assert [s["name"] for s in progress["series"]] == ["Trained (cumulative)", "Target"]
    assert 'id="kpi-projection"' not in english
    rate = DashboardData(get_scope(personas.municipal_admin)).totals()["completion_rate"]
    assert f"({rate}% of finished enrolments)" in _text(english)
    chinese = _page(client, "zh-hans")
    assert "工作方案已于 2025-12-31 结束，共培养技术经理人 0 名，目标 500 名" in _text(chinese)
    assert "按当前进度" not in chinese  # no projection after the end


def test_a_running_plan_projects_a_line_and_names_the_base_of_its_percentage(personas, city):
    today = timezone.localdate()
    _plan(deadline=add_months(today, 12))
    table, progress = DashboardData(get_scope(personas.municipal_admin)).progress_table()
    assert table.roles == ["actual", "projected", "target"]
    projected = option_for(table)["series"][1]
    assert projected["name"] == table.columns[2]
    assert sum(value is not None for value in projected["data"]) >= 2  # a line, not a dot
    assert not progress.deadline_passed and progress.trained_at_end is None
    english = _text(_page(client_for(personas.municipal_admin), "en"))
    deadline = add_months(today, 12).isoformat()
    assert f"0% of the target of 500 trained managers by {deadline} · 497 to go" in english


@pytest.mark.parametrize("persona", ["district_officer", "institution_admin"])
def test_a_scoped_view_shows_counts_without_the_citys_target(personas, city, persona):
    scope = get_scope(
        personas.district_officer if persona == "district_officer" else personas.institution_admin
    )
    table, progress = DashboardData(scope).progress_table()
    assert progress.target is None and progress.percent_of_target is None
    assert "target" not in table.roles and all(len(row) == 2 for row in table.rows)
    assert progress.plan is not None and progress.trained_at_end == 0  # trained after 2025
    for language in ("en", "zh-hans"):
        html = _page(client_for(getattr(personas, persona)), language)
        text = _text(html)
        assert "500" not in text, f"{persona} ({language}) is compared with the city's 500"
        assert 'id="kpi-no-target"' in html
    assert "managers in your scope had been trained by then" in _text(
        _page(client_for(getattr(personas, persona)), "en")
    )


def test_legends_stay_on_one_line_above_the_plot(personas, city):
    tables = DashboardData(get_scope(personas.municipal_admin)).tables()[0]
    for table in tables:
        option = option_for(table)
        if "legend" in option:
            assert option["legend"]["type"] == "scroll", table.key
            if option["legend"].get("top") == 0:
                assert option["grid"]["top"] >= 56, table.key  # room for the axis names
