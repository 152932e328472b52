"""Issue 19 item 7, in a browser (Playwright on Debian's chromium): the education department
files a quarterly report with its figures pulled from the records, the lead (市科委, the
municipal administrator) accepts it, the conference view shows it, and the city opens its
dashboard and drills from a figure down to the records behind it."""

import datetime
import os

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.insights.choices import ReportStatus, TaskKind
from tmhub.insights.models import TaskReport
from tmhub.insights.tests.helpers import contract, seeded_plan

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_a_department_files_the_lead_reviews_the_conference_and_the_dashboard_show_it(
        live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    plan = seeded_plan()
    task = plan.tasks.get(kind=TaskKind.KEY_TASK, number=1)
    contract(personas, datetime.date(2025, 8, 10), received_on=datetime.date(2025, 9, 1))

    # Given the education officer, when they file the 2025 Q3 report on task 1
    _as(page, live_server, personas.department_officer)
    page.goto(f"{url}/insights/tasks/{task.pk}/")
    page.click("#file-report")
    page.select_option("select[name=period]", "2025-07-01/2025-09-30")
    page.fill("textarea[name=narrative]", "开设技术转移选修课三门。")
    page.click("main form button[type=submit]")
    report = TaskReport.objects.get(task=task)
    page.click("#submit-report")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    # then its figures are pulled from the records as of 2025-09-30: the contract counts
    assert "1" in page.locator("#report-figures").inner_text()

    # When the lead department (the city) accepts it
    _as(page, live_server, personas.municipal_admin)
    page.goto(f"{url}/insights/reports/{report.pk}/")
    page.check("input[name=decision][value=accept]")
    page.click("#review-submit")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED

    # Then the conference view shows the task's latest report
    page.goto(f"{url}/insights/plans/{plan.pk}/conference/")
    assert "2025" in page.locator("main").inner_text()

    # And the dashboard says the plan has ended and drills from a figure to its records
    page.goto(f"{url}/insights/plans/{plan.pk}/dashboard/")
    page.wait_for_selector("#chart-institutions[data-rendered=true]")
    assert "2025-12-31" in page.locator("#table-targets").text_content()
    page.locator("#section-institutions summary").click()
    page.locator('#table-institutions a[href*="year=2025"][href*="kind=university"]').click()
    page.wait_for_selector("#drill-groups")
    page.locator("#drill-groups a").first.click()
    page.wait_for_selector("#drill-groups")
    page.locator("#drill-groups a").first.click()
    page.wait_for_selector("#drill-records")
    assert "成果许可合同" in page.locator("#drill-records").inner_text()
