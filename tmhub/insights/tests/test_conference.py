"""The joint conference: meetings with attending departments, agenda items on tasks with
decisions, follow-up actions with owners and due days; the conference view shows each task's
status by the plan's rule (data), its latest report and its open actions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.models import ObjectChange
from tmhub.insights import selectors, services
from tmhub.insights.choices import PlanDepartment, TaskKind
from tmhub.insights.models import StatusRule
from tmhub.insights.tests.helpers import seeded_plan

pytestmark = pytest.mark.django_db


def _successor(personas):
    plan = services.create_plan(actor=personas.municipal_admin, title="后续方案",
                                number="示例〔2026〕1号", start=datetime.date(2026, 10, 1),
                                end=datetime.date(2030, 12, 31), predecessor=seeded_plan())
    task = plan.tasks.create(kind=TaskKind.KEY_TASK, number=1, title="任务一")
    task.departments.create(department=PlanDepartment.SCIENCE, role="lead", position=0)
    task.departments.create(department=PlanDepartment.EDUCATION, role="responsible",
                            position=1)
    return plan, task


def _meeting(personas, plan, task):
    meeting = services.create_meeting(
        actor=personas.municipal_admin, plan=plan, held_on=datetime.date(2026, 11, 20),
        title="联席会第一次会议",
        departments=[PlanDepartment.EDUCATION, PlanDepartment.SCIENCE])
    item = services.add_agenda_item(actor=personas.municipal_admin, meeting=meeting,
                                    subject="研究生课程推进情况", task=task,
                                    decision="市教委牵头梳理课程清单。")
    return meeting, item


def test_a_meeting_records_attendees_agenda_decisions_and_actions(personas):
    plan, task = _successor(personas)
    meeting, item = _meeting(personas, plan, task)
    assert meeting.departments == [PlanDepartment.SCIENCE, PlanDepartment.EDUCATION]
    action = services.add_action(actor=personas.municipal_admin, meeting=meeting,
                                 agenda_item=item, text="报送课程清单",
                                 owner=PlanDepartment.EDUCATION,
                                 due_on=datetime.date(2026, 12, 31))
    assert action.task == task
    with pytest.raises(ValidationError):
        services.add_action(actor=personas.municipal_admin, meeting=meeting, text="x",
                            owner=PlanDepartment.EDUCATION, due_on=datetime.date(2026, 11, 1))
    with pytest.raises(Http404):
        services.add_agenda_item(actor=personas.department_officer, meeting=meeting,
                                 subject="x")
    with pytest.raises(ValidationError):
        services.create_meeting(actor=personas.municipal_admin, plan=plan,
                                held_on=datetime.date(2027, 1, 1), title="x",
                                departments=[PlanDepartment.SCIENCE])
    # The health officer's department does not own the action; the education officer does.
    with pytest.raises(Http404):
        services.complete_action(actor=personas.health_officer, action=action, note="done")
    with pytest.raises(ValidationError):
        services.complete_action(actor=personas.department_officer, action=action, note=" ")
    done = services.complete_action(actor=personas.department_officer, action=action,
                                    note="已报送")
    assert done.done_on == timezone.localdate()
    assert ObjectChange.objects.filter(content_type__model="followupaction").count() == 2

    api = client_for(personas.health_officer).get("/api/v1/conference-meetings/").json()
    row = api["results"][0]
    assert row["department_names"] == ["市科委", "市教委"]
    assert row["agenda"][0]["task_number"] == 1 and row["actions"][0]["owner_name"] == "市教委"


def test_the_conference_view_reads_each_tasks_status_by_the_plans_rule(personas):
    """Given a task of the successor plan (from 2026-10-01: no report is due yet on
    2026-12-02), then it is on track; an open action due in 10 days makes it at risk under the
    default rule (14 days) and on track under a rule of 5 days; an action past its due day
    makes it late, and a rule asking for two overdue actions puts it back at risk."""
    plan, task = _successor(personas)
    meeting, item = _meeting(personas, plan, task)
    today = datetime.date(2026, 12, 2)
    client = client_for(personas.department_officer)
    url = reverse("insights:conference", args=[plan.pk])

    def status():
        return selectors.overview(plan, personas.department_officer, today)[0][0].status

    assert status() == selectors.ON_TRACK
    services.add_action(actor=personas.municipal_admin, meeting=meeting, agenda_item=item,
                        text="报送课程清单", owner=PlanDepartment.EDUCATION,
                        due_on=today + datetime.timedelta(days=10))
    assert status() == selectors.AT_RISK
    rule = StatusRule.objects.create(plan=plan, at_risk_action_days=5)
    assert status() == selectors.ON_TRACK
    rule.delete()
    services.add_action(actor=personas.municipal_admin, meeting=meeting, task=task,
                        text="召开推进会", owner=PlanDepartment.SCIENCE,
                        due_on=datetime.date(2026, 11, 30))
    assert status() == selectors.LATE
    StatusRule.objects.create(plan=plan, late_overdue_actions=2)
    assert status() == selectors.AT_RISK

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert "报送课程清单" in html and "召开推进会" in html and meeting.title in html
    assert "存在风险" in html


def test_my_work_lists_the_actions_a_department_owns(personas):
    plan, task = _successor(personas)
    meeting, item = _meeting(personas, plan, task)
    services.add_action(actor=personas.municipal_admin, meeting=meeting, agenda_item=item,
                        text="报送课程清单", owner=PlanDepartment.EDUCATION,
                        due_on=datetime.date(2026, 12, 31))
    edu = [i for i in work_items.items_for(get_scope(personas.department_officer),
                                           module="insights")
           if i.kind == "insights.action_due"]
    assert [i.due_on for i in edu] == [datetime.date(2026, 12, 31)]
    assert not [i for i in work_items.items_for(get_scope(personas.health_officer),
                                                module="insights")
                if i.kind == "insights.action_due"]


def test_the_meeting_page_adds_agenda_and_actions_with_field_errors(personas):
    plan, task = _successor(personas)
    meeting, item = _meeting(personas, plan, task)
    client = client_for(personas.municipal_admin)
    bad = client.post(reverse("insights:action-add", args=[meeting.pk]), {"text": "x"})
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode()
    ok = client.post(reverse("insights:action-add", args=[meeting.pk]), {
        "agenda_item": item.pk, "text": "报送课程清单", "owner": PlanDepartment.EDUCATION,
        "due_on": "2026-12-31"})
    assert ok.status_code == 302
    page = client_for(personas.department_officer).get(meeting.get_absolute_url(),
                                                       HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "报送课程清单" in page.content.decode()
    assert 'name="note"' in page.content.decode()
