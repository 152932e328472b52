"""One project from disclosure to an approved reward split, in a real browser
(Playwright on Debian's chromium): disclose, publish, open a project, move it along the board,
record an introduction, sign a contract, record income, split it and approve the statement."""

import os
import re

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import choose, sign_in
from tmhub.transfer.models import Achievement, Contract, Project, RewardSplit

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_a_project_walks_from_disclosure_to_an_approved_split(live_server, browser_page,
                                                              personas):
    page, url = browser_page, live_server.url
    # Given the manager records a disclosure with two inventors
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/transfer/achievements/new/")
    page.fill("input[name=title]", "浏览器测试：柔性触觉传感器")
    page.fill("textarea[name=abstract]", "一种高灵敏度柔性触觉传感器。")
    page.fill("input[name=inv-0-name]", "王教授")
    page.fill("input[name=inv-0-share]", "70")
    page.fill("input[name=inv-1-name]", "李博士")
    page.fill("input[name=inv-1-share]", "30")
    page.click("#achievement-form button[type=submit]")
    achievement = Achievement.objects.get(title="浏览器测试：柔性触觉传感器")
    assert page.locator("#achievement-status").inner_text() == "草稿（保密）"

    # When the institution publishes it
    _as(page, live_server, personas.institution_admin)
    page.goto(f"{url}/transfer/achievements/{achievement.pk}/")
    page.click("button[data-target=published]")
    assert page.locator("#achievement-status").inner_text() == "已发布"

    # And the manager opens a project and moves it along the board to the transaction stage
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/transfer/projects/new/")
    page.fill("input[name=title]", "柔性触觉传感器转化")
    page.select_option("select[name=achievements]", str(achievement.pk))
    page.click("#project-form button[type=submit]")
    project = Project.objects.get(title="柔性触觉传感器转化")
    page.goto(f"{url}/transfer/projects/board/")
    # The board says what 评价 needs before the move, and offers no move there
    assert page.locator(f"#card-{project.pk} button[data-target=evaluation]").is_disabled()
    assert "需要：资产评估报告或成果评价报告" in page.locator(f"#card-{project.pk}").inner_text()
    # So the manager records the valuation report on the project page
    page.goto(f"{url}/transfer/projects/{project.pk}/")
    page.click("#evidence-form >> xpath=ancestor::details/summary")
    page.select_option("#evidence-form select[name=kind]", "valuation_report")
    page.fill("#evidence-form input[name=occurred_on]", "2025-02-01")
    page.fill("#evidence-form input[name=title]", "京评报字[2025]第001号")
    page.fill("#evidence-form input[name=party]", "北京测试资产评估有限公司")
    page.click("#evidence-form button")
    assert "京评报字[2025]第001号" in page.locator("#evidence").inner_text()
    page.goto(f"{url}/transfer/projects/board/")
    for target in ["evaluation", "promotion", "negotiation"]:
        page.click(f"#card-{project.pk} button[data-target={target}]")
        page.wait_for_selector(f".board-column[data-stage={target}] #card-{project.pk}")
    # 交易 waits for a signed contract
    assert page.locator(f"#card-{project.pk} button[data-target=transaction]").is_disabled()

    # And records a timestamped introduction of the client
    page.goto(f"{url}/transfer/projects/{project.pk}/")
    page.click("#activity-form >> xpath=ancestor::details/summary")
    page.select_option("#activity-form select[name=kind]", "introduction")
    page.fill("#activity-form input[name=summary]", "引荐测试科技有限公司")
    choose(page, "#activity-form select[name=counterpart]", str(personas.company.pk))
    page.click("#activity-form button")
    assert "引荐测试科技有限公司" in page.locator("#timeline").inner_text()

    # And signs a licence contract and records the first payment
    page.click(f"a[href='/transfer/contracts/new/?project={project.pk}']")
    page.select_option("select[name=kind]", "licence")
    choose(page, "select[name=counterparty]", str(personas.company.pk))
    page.fill("input[name=amount]", "1000000")
    page.fill("input[name=signed_on]", "2025-03-01")
    page.fill("input[name=registration_number]", "2025110108000777")
    page.click("#contract-form button[type=submit]")
    contract = Contract.objects.get(project=project)
    # With the contract signed, the project enters 交易 from its page
    page.goto(f"{url}/transfer/projects/{project.pk}/")
    page.click("#stage-actions button[data-target=transaction]")
    page.wait_for_selector("#project-stage:has-text('交易')")
    project.refresh_from_db()
    assert project.stage == "transaction"
    page.goto(f"{url}/transfer/contracts/{contract.pk}/")
    page.fill("input[name=r-received_on]", "2025-04-01")
    page.fill("input[name=r-amount]", "500000")
    page.click("#receipt-form button")
    assert page.locator("#net-income-value").inner_text() == "500,000.00"

    # And drafts the split (contributions pre-filled from the inventors)
    page.click("#split-income")
    assert page.locator("input[name=alloc-0-name]").input_value() == "王教授"
    page.click("#split-form button[type=submit]")
    split = RewardSplit.objects.get(contract=contract)
    assert split.status == "draft" and split.team_fen == 35_000_000

    # Then the institution approves it and the statement is a PDF
    _as(page, live_server, personas.institution_admin)
    # on a confirmation page that shows what will be frozen (four eyes: not its drafter)
    page.goto(f"{url}/transfer/splits/{split.pk}/")
    page.click("a[data-target=approved]")
    assert "350,000.00" in page.locator("#freeze-buckets").inner_text()
    page.check("#id_confirmed")
    page.click("#approve-confirm")
    assert page.locator("#split-status").inner_text() == "已审批（已冻结）"
    response = page.request.get(url + page.locator("#statement-pdf").get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert re.match(rb"%PDF", response.body())
