"""In a real browser: sign in, switch language, search organisations, submit a form."""

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.orgs.models import Organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_switch_language_search_and_create(personas, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server, personas.municipal_admin.username, PASSWORD)
    assert "退出" in page.content() or page.locator("text=p_municipal").count()

    # Chinese by default, English after the switch.
    page.goto(f"{live_server.url}/orgs/")
    assert page.locator("h1").inner_text() == "机构库"
    page.select_option("#language-select", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Organisations"

    # Search-as-you-type (HTMX) narrows the list without a page reload.
    page.fill("input[name=q]", "测试医院")
    # A function, not a bare expression: Playwright evaluates an expression with eval, which the
    # page's Content-Security-Policy refuses.
    page.wait_for_function(
        "() => document.querySelectorAll('#organization-table tbody tr').length === 1")
    assert "测试医院" in page.locator("#organization-table").inner_text()

    # Submitting a form with a bad credit code shows a field error, a good one saves.
    page.goto(f"{live_server.url}/orgs/new/")
    page.fill("input[name=name]", "北京浏览器测试科技有限公司")
    page.select_option("select[name=kind]", "enterprise")
    page.fill("input[name=credit_code]", "911101080000000000")
    page.click("#organization-form button[type=submit]")
    assert page.locator(".invalid-feedback").count() >= 1
    page.fill("input[name=credit_code]", "")
    page.click("#organization-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("北京浏览器测试科技有限公司")
    assert Organization.objects.filter(name="北京浏览器测试科技有限公司").exists()
