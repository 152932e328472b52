"""A manager enrols, attends, completes and verifies the certificate; the city's dashboard
draws its charts (Playwright on Debian's chromium)."""

import os
from decimal import Decimal

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.training import services
from tmhub.training.tests.helpers import (
    given_cohort,
    given_courses,
    given_programme,
    given_provider,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_manager_enrols_attends_completes_and_verifies(live_server, browser_page, personas,
                                                        tmp_path):
    page, url = browser_page, live_server.url
    # Given an open junior cohort at the manager's university with its sessions and exam
    programme = given_programme(personas, given_provider(personas))
    courses = given_courses(personas, programme)
    cohort = given_cohort(personas, programme, code="browser-1")
    for i, course in enumerate(courses):
        services.add_session(cohort, actor=personas.institution_admin, course=course,
                             date=cohort.start_date.replace(day=cohort.start_date.day + i))
    services.add_assessment(cohort, actor=personas.institution_admin, title="结业考试",
                            max_score=Decimal(100), pass_score=Decimal(60))

    # When the manager enrols from the training landing page
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/training/")
    page.click(f"a[href='/training/cohorts/{cohort.pk}/']")
    page.fill("textarea[name=motivation]", "希望系统学习技术转移实务")
    page.click("#enrol-button")
    assert page.locator("#enrolment-status").get_attribute("data-status") == "pending"

    # And the provider approves, starts the cohort, takes attendance and records the score
    _as(page, live_server, personas.institution_admin)
    page.goto(f"{url}/training/cohorts/{cohort.pk}/")
    page.click("#enrolments button[data-target=enrolled]")
    page.click("button[data-target=running]")
    assert page.locator("#cohort-status").get_attribute("data-status") == "running"
    for index in range(len(courses)):
        page.locator("a[data-session]").nth(index).click()
        page.click("button[data-set-all=present]")
        page.click("#save-attendance")
    page.click("a[data-assessment]")
    page.locator("#score-form input[name^=score-]").first.fill("86")
    page.click("#save-scores")

    # Then the manager sees the completion and the certificate, and verifies it publicly
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/training/")
    page.locator("#my-training a[href*='/training/certificates/']").first.click()
    number = page.locator("#certificate-number").inner_text().strip()
    assert number.startswith("BJTM-")
    certificate_pk = page.url.rstrip("/").split("/")[-1]
    pdf = page.request.get(f"{url}/training/certificates/{certificate_pk}/pdf/")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    page.context.clear_cookies()
    page.goto(f"{url}/training/verify/")
    page.fill("input[name=number]", number.lower())
    page.click("form button[type=submit]")
    assert page.locator("#verification").get_attribute("data-result") == "valid"
    assert personas.manager.display_name in page.content()

    # And the city's dashboard draws every chart on a non-empty canvas
    _as(page, live_server, personas.municipal_admin)
    page.goto(f"{url}/training/dashboard/")
    charts = page.locator(".tm-chart")
    count = charts.count()
    assert count >= 6
    page.wait_for_function(
        "n => document.querySelectorAll('.tm-chart[data-rendered=true]').length === n", arg=count)
    painted = page.evaluate("""() => Array.from(document.querySelectorAll('.tm-chart canvas'))
        .map(c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let n = 0;
                    for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; }
                    return n; })""")
    assert len(painted) >= count and all(n > 500 for n in painted)
    assert page.locator("#kpi-trained").inner_text().startswith("1")
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    os.makedirs("var", exist_ok=True)
    page.screenshot(path="var/training-dashboard.png", full_page=True)
