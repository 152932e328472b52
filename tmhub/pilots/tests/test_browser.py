"""Issue 15 item 12, in a browser (Playwright on Debian's chromium): the city selects a
pilot, gives it a KPI and assigns the manager the matching service recommends; the manager
files the feasibility report; a linked contract moves the KPI."""

import datetime
import os

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import choose, sign_in
from tmhub.pilots.models import Pilot
from tmhub.pilots.tests.helpers import contract, programme
from tmhub.talent.tests.helpers import make_profile

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_city_selects_assigns_recommended_manager_report_and_contract_move_the_kpi(
        live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    # Given a programme, the manager's registration at 测试大学 and a contract of 测试大学
    prog = programme(personas)
    make_profile(personas.manager, employer=personas.university, name="刘洋",
                 bio="固态电池电解质材料的专利许可与成果转化")
    deal = contract(personas, signed_on=datetime.date(2026, 3, 1))

    # When the city selects the project as a pilot
    _as(page, live_server, personas.municipal_admin)
    page.goto(f"{url}/pilots/")
    page.click("#select-pilot")
    page.select_option("#pilot-form select[name=programme]", str(prog.pk))
    page.fill("#pilot-form input[name=code]", "Z2611000B1")
    page.fill("#pilot-form input[name=title]", "固态电池电解质应用研究")
    choose(page, "#pilot-form select[name=institution]", personas.university.pk, "测试大学")
    page.fill("#pilot-form input[name=principal_investigator]", "王教授")
    page.fill("#pilot-form input[name=budget_yuan]", "3000000")
    page.fill("#pilot-form input[name=starts_on]", "2026-01-01")
    page.fill("#pilot-form input[name=ends_on]", "2028-12-31")
    page.fill("#pilot-form textarea[name=selection_reason]", "成果已有中试基础，企业需求明确")
    page.click("#pilot-form button[type=submit]")
    pilot = Pilot.objects.get(code="Z2611000B1")
    assert page.url.endswith(f"/pilots/{pilot.pk}/")

    # And gives it a KPI counted from linked contracts
    page.click("details summary")
    page.select_option("#kpi-form select[name=k-kpi_type]", label="签订技术合同数")
    page.fill("#kpi-form input[name=k-target]", "2")
    page.fill("#kpi-form input[name=k-due_on]", "2027-06-30")
    page.click("#kpi-form button")
    assert page.locator("tr[data-kpi=contracts_signed] .kpi-actual").inner_text() == "0"

    # And assigns the manager the matching service recommends (with reasons and workload)
    page.goto(f"{url}/pilots/{pilot.pk}/assign/")
    row = page.locator("#candidate-table tbody tr", has_text="刘洋")
    # recommended by matching's managers_for_work, with its level and reasons
    assert row.locator(".badge").first.inner_text().strip() in {"高度匹配", "较为匹配", "部分匹配",
                                                               "可能匹配"}
    assert "任职于项目所属机构" in row.inner_text()
    assert row.locator("td").nth(2).inner_text().strip() == "0"  # no pilot yet
    row.locator(".choose-candidate").click()
    page.select_option("#assign-form select[name=mode]", "one_to_many")
    page.click("#assign-form button[type=submit]")
    assert page.url.endswith(f"/pilots/{pilot.pk}/")
    assert pilot.active_assignments().get().manager == personas.manager

    # Then the manager files the feasibility report and submits it for review
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/pilots/{pilot.pk}/reports/new/")
    page.fill("#report-form textarea[name=done]", "完成技术成熟度评估与市场调研")
    page.fill("#report-form textarea[name=risks]", "中试成本不确定")
    page.click("#report-form button[type=submit]")
    page.click("button[data-target=submitted]")
    report = pilot.reports.get()
    assert report.stage == "feasibility" and report.status == "submitted"

    # And the contract the undertaking institution links to the pilot moves the KPI
    _as(page, live_server, personas.institution_admin)
    page.goto(f"{url}/pilots/{pilot.pk}/")
    choose(page, "#link-form select[name=c-contract]", deal.pk, deal.number)
    page.click("#link-form button")
    assert page.locator("tr[data-kpi=contracts_signed] .kpi-actual").inner_text() == "1"
    assert page.locator("tr[data-kpi=contracts_signed] .kpi-attainment").inner_text() == "50.0%"
