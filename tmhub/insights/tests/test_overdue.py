"""Overdue progress reports: flagged on the task's page, each reminded of once to the
department that owes it, and listed on My work with the reports to submit and to review."""

import datetime

import pytest

from conftest import client_for
from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.models import Notification, ObjectChange
from tmhub.insights import selectors, services
from tmhub.insights.choices import PlanDepartment, TaskKind
from tmhub.insights.models import ReportReminder
from tmhub.insights.tests.helpers import seeded_plan

pytestmark = pytest.mark.django_db


def _successor(personas):
    """A plan in force over 2026 with one key task named on 市教委 and 市卫生健康委."""
    plan = services.create_plan(actor=personas.municipal_admin, title="后续方案",
                                number="示例〔2026〕1号", start=datetime.date(2026, 1, 1),
                                end=datetime.date(2030, 12, 31), predecessor=seeded_plan())
    task = plan.tasks.create(kind=TaskKind.KEY_TASK, number=1, title="任务一")
    task.departments.create(department=PlanDepartment.SCIENCE, role="lead", position=0)
    task.departments.create(department=PlanDepartment.EDUCATION, role="responsible",
                            position=1)
    task.departments.create(department=PlanDepartment.HEALTH, role="responsible", position=2)
    return plan, task


def test_an_overdue_report_is_reminded_once_to_the_department_that_owes_it(personas):
    """Given the successor plan and today 2026-12-02, the 2026 Q3 report (due 2026-10-30) is
    overdue for every department named; when the job runs, the education officer is told once
    about its quarters within the reminder window and the health officer too, and a second run
    sends nothing; a report filed for the quarter takes it off the owed list."""
    plan, task = _successor(personas)
    # The day the job runs is given (as the beat task gives it), not read from the clock:
    # the test states its own day rather than pass only on the day it was written.
    today = datetime.date(2026, 12, 2)
    owed = selectors.owed_reports(plan, today, departments={PlanDepartment.EDUCATION})
    assert [(o.period_start, o.period_end) for o in owed] == [
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))]
    sent = services.send_overdue_reminders(actor=SYSTEM, today=today)
    # Only Q3 (due 2026-10-30) falls within the 90 days; Q1 and Q2 were due longer ago.
    assert sent == 3  # one quarter × three departments
    assert set(ReportReminder.objects.values_list("department", flat=True)) == {
        PlanDepartment.SCIENCE, PlanDepartment.EDUCATION, PlanDepartment.HEALTH}
    edu = Notification.objects.filter(recipient=personas.department_officer,
                                      kind="insights.overdue")
    assert edu.count() == 1 and plan.number in edu.get().subject
    assert Notification.objects.filter(recipient=personas.health_officer,
                                       kind="insights.overdue").count() == 1
    assert not Notification.objects.filter(recipient=personas.district_officer,
                                           kind="insights.overdue").exists()
    assert ObjectChange.objects.filter(content_type__model="reportreminder").count() == 3
    assert services.send_overdue_reminders(actor=SYSTEM, today=today) == 0
    assert edu.count() == 1

    report = services.file_report(actor=personas.department_officer, task=task,
                                  department=PlanDepartment.EDUCATION,
                                  period_start=datetime.date(2026, 7, 1),
                                  period_end=datetime.date(2026, 9, 30), narrative="进展")
    services.submit_report(actor=personas.department_officer, report=report)
    left = selectors.owed_reports(plan, today, departments={PlanDepartment.EDUCATION})
    assert datetime.date(2026, 9, 30) not in [o.period_end for o in left]


def test_the_task_page_flags_overdue_reports(personas):
    plan, task = _successor(personas)
    page = client_for(personas.health_officer).get(task.get_absolute_url(),
                                                   HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="overdue-reports"' in html
    assert "市卫生健康委" in html and "2026-09-30" in html


def test_my_work_lists_reports_due_to_submit_and_to_review(personas):
    plan, task = _successor(personas)
    edu = get_scope(personas.department_officer)
    due = [i for i in work_items.items_for(edu, module="insights")
           if i.kind == "insights.report_due"]
    assert [i.due_on for i in due] == [datetime.date(2026, 10, 30)]
    report = services.file_report(actor=personas.department_officer, task=task,
                                  department=PlanDepartment.EDUCATION,
                                  period_start=datetime.date(2026, 7, 1),
                                  period_end=datetime.date(2026, 9, 30), narrative="进展")
    kinds = {i.kind for i in work_items.items_for(edu, module="insights")}
    assert "insights.report_submit" in kinds
    services.submit_report(actor=personas.department_officer, report=report)
    city = get_scope(personas.municipal_admin)
    review = [i for i in work_items.items_for(city, module="insights")
              if i.kind == "insights.report_review"]
    assert [i.record.pk for i in review] == [report.pk]
    assert Notification.objects.filter(recipient=personas.municipal_admin,
                                        kind="insights.review").count() == 1
    assert not [i for i in work_items.items_for(edu, module="insights")
                if i.kind == "insights.report_review"]
