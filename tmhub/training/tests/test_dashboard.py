"""The dashboard's numbers equal counts computed independently from the records, for the
city and for scoped officers; each chart's xlsx holds the same numbers."""

import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.access import get_scope
from tmhub.core.models import IndustryField
from tmhub.training.choices import LEVEL_ORDER
from tmhub.training.dashboard.data import DashboardData
from tmhub.training.models import Attendance, Certificate, Enrolment

pytestmark = pytest.mark.django_db


def _independent(predicate=lambda c: True):
    """Counts from plain Python over the records."""
    valid = [c for c in Certificate.objects.select_related("organization")
             if c.status == "valid" and predicate(c)]
    holders = {c.trainee_id for c in valid}
    highest = {}
    for c in valid:
        if LEVEL_ORDER[c.level] > LEVEL_ORDER.get(highest.get(c.trainee_id), 0):
            highest[c.trainee_id] = c.level
    return holders, Counter(highest.values())


def _table(tables, key):
    return {row[0]: row[1:] for row in next(t for t in tables if t.key == key).rows}


def test_city_dashboard_equals_independent_counts(personas, city):
    tables, progress, totals = DashboardData(get_scope(personas.municipal_admin)).tables()
    holders, levels = _independent()
    assert progress.trained == len(holders) == 3
    by_level = _table(tables, "level")
    assert by_level["初级技术经纪人"] == [levels["junior"]] == [2]
    assert by_level["中级技术经纪人"] == [levels["intermediate"]] == [1]
    routes = _table(tables, "route")
    assert (routes["培养"][0] if "培养" in routes else routes["Trained"][0]) == 1
    assert routes["未入人才库"] == [1]  # C has no profile
    districts = _table(tables, "district")
    assert districts["海淀区"] == [2] and districts["朝阳区"] == [1]
    kinds = _table(tables, "kind")
    assert kinds["高校"] == [2]
    fields = _table(tables, "field")
    assert fields[IndustryField.objects.get(code="AI").name] == [2]
    assert fields[IndustryField.objects.get(code="MED").name] == [1]
    enrolments = list(Enrolment.objects.all())
    assert totals["enrolments"] == len(enrolments)
    assert totals["completed"] == sum(e.status == "completed" for e in enrolments)
    completion = _table(tables, "completion")
    assert completion["初级技术经纪人"][:2] == [4, 1]  # A, B, C, E completed; D did not
    assert completion["初级技术经纪人"][2] == Decimal("80.0")
    hours = sum(a.hours for a in Attendance.objects.all() if a.status in ("present", "late"))
    assert totals["hours"] == hours == Decimal("48") * 6
    assert sum(r[0] for r in _table(tables, "enrolments").values()) == len(enrolments)
    assert progress.remaining == 500 - 3


def test_scoped_dashboards_count_only_their_trainees(personas, city):
    haidian = DashboardData(get_scope(personas.district_officer))
    tables, progress, totals = haidian.tables()
    holders, _levels = _independent(lambda c: c.trainee_id in (city["a"].pk, city["c"].pk))
    assert progress.trained == len(holders) == 2
    assert totals["hours"] == sum(
        a.hours for a in Attendance.objects.select_related("enrolment")
        if a.enrolment.trainee_id in {city[k].pk for k in "acde"})  # all but B are in Haidian
    health = DashboardData(get_scope(personas.health_officer)).tables()[1]
    assert health.trained == 1  # B works at the hospital
    education = DashboardData(get_scope(personas.department_officer)).tables()[1]
    assert education.trained == 2  # A (profile employer) and C (enrolment employer)


def test_the_dashboard_page_renders_and_exports_the_numbers(personas, city,
                                                            django_assert_max_num_queries):
    client = client_for(personas.municipal_admin)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("training:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="kpi-trained">3' in html
    assert "vendor/echarts/echarts.min.js" in html and 'id="option-progress"' in html
    export = client.get(reverse("training:dashboard-export", args=["level"]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("级别", "技术经理人")  # the catalogues' one wording of "Level", "Managers"
    assert ("中级技术经纪人", 1) in rows and ("初级技术经纪人", 2) in rows
    assert client_for(personas.enterprise).get(reverse("training:dashboard")).status_code == 404


def test_the_target_is_data(personas, city):
    from tmhub.training.models import PlanTarget

    PlanTarget.objects.filter(code="trained-managers").update(target_count=4)
    progress = DashboardData(get_scope(personas.municipal_admin)).tables()[1]
    assert progress.remaining == 1
