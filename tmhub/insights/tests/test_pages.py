"""The plan pages: the conference sees every key task with its departments and who owes what;
the closed plan shows its final attainment; the city enters the successor plan."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.insights import services
from tmhub.insights.choices import PlanDepartment, TaskKind
from tmhub.insights.models import Plan
from tmhub.insights.tests.helpers import seeded_plan

pytestmark = pytest.mark.django_db


def test_the_conference_page_lists_every_task_with_its_departments(personas,
                                                                    django_assert_max_num_queries):
    """Given the seeded plan, when the education officer opens it, then every key task shows
    its lead (市科委、中关村管委会) and responsible departments, every guarantee measure is
    listed, and the plan (ended 2025-12-31, today later) reads closed with its final figure."""
    plan = seeded_plan()
    client = client_for(personas.department_officer)
    with django_assert_max_num_queries(40):
        page = client.get(plan.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    for task in plan.tasks.all():
        assert task.title in html
    assert html.count("中关村管委会") >= 8 and "各区人民政府" in html
    assert timezone.localdate() > plan.end
    assert "最终完成情况" in html and "已结束" in html


def test_a_filed_report_shows_as_the_tasks_latest(personas):
    plan = seeded_plan()
    task = plan.tasks.get(kind=TaskKind.KEY_TASK, number=1)
    report = services.file_report(actor=personas.health_officer, task=task,
                                  department=PlanDepartment.HEALTH,
                                  period_start=datetime.date(2025, 10, 1),
                                  period_end=datetime.date(2025, 12, 31), narrative="进展")
    services.submit_report(actor=personas.health_officer, report=report)
    html = client_for(personas.municipal_admin).get(plan.get_absolute_url()).content.decode()
    assert report.get_absolute_url() in html


def test_the_city_enters_the_successor_plan(personas):
    """Given the closed plan, when the municipal administrator enters its successor, then the
    new plan follows it; a second successor, or one starting inside the old period, is
    refused with the error beside the field."""
    plan = seeded_plan()
    client = client_for(personas.municipal_admin)
    url = reverse("insights:plan-create") + f"?after={plan.pk}"
    data = {"title": "接续工作方案", "number": "测试〔2026〕1号", "start": "2025-06-01",
            "end": "2030-12-31"}
    page = client.post(url, data)
    assert page.status_code == 200 and "接续方案应在上一期方案结束" in page.content.decode()
    page = client.post(url, {**data, "start": "2026-01-01"})
    assert page.status_code == 302
    successor = Plan.objects.get(number="测试〔2026〕1号")
    assert successor.predecessor == plan and not successor.is_closed()
    again = client.post(url, {**data, "number": "测试〔2026〕2号", "start": "2026-01-01"})
    assert again.status_code == 200 and not Plan.objects.filter(number="测试〔2026〕2号").exists()


def test_the_plan_api_names_departments_as_the_plan_does(personas):
    plan = seeded_plan()
    client = client_for(personas.department_officer)
    body = client.get(reverse("insights-plan-detail", args=[plan.pk])).json()
    assert body["number"] == "京科发〔2022〕14号" and body["closed"] is True
    key = [t for t in body["tasks"] if t["kind"] == "key_task"]
    assert len(key) == 8 and len(body["tasks"]) == 11
    first = sorted(key, key=lambda t: t["number"])[0]
    assert [d["name"] for d in first["departments"]] == [
        "市科委", "中关村管委会", "市教委", "市人才工作局", "市人力资源社会保障局", "市卫生健康委"]
    assert first["departments"][0] == {"code": "science", "name": "市科委", "role": "lead",
                                       "position": 0}
    assert body["targets"][0]["target_value"] == 500

