"""In a real browser (Playwright on Debian's chromium): a demand's problem shows its length as
the enterprise types it, and a legal name change goes from the institution's request to the
city's approval (issue 11 item 7)."""

import os

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.orgs.models import Organization

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_the_length_counter_follows_the_typing(live_server, browser_page, personas):
    page = browser_page
    _as(page, live_server, personas.enterprise)
    page.goto(f"{live_server.url}/transfer/demands/new/")
    counter = page.locator("#id_problem_count")
    assert counter.inner_text() == "0 / 5000"
    page.fill("textarea[name=problem]", "需要一种低成本的污水处理工艺")
    assert counter.inner_text() == "14 / 5000"


def test_a_name_change_is_requested_and_approved(live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    university = personas.university
    # Given the university's administrator on its page
    _as(page, live_server, personas.institution_admin)
    page.goto(f"{url}/orgs/{university.pk}/")
    page.click(f"a[href='/orgs/{university.pk}/identity-change/']")
    # When they ask for the new name with a reason
    page.fill("input[name=name]", "测试理工大学")
    page.fill("textarea[name=reason]", "经教育部批准更名")
    page.click("#identity-change-form button[type=submit]")
    assert page.locator("#change-request-status").inner_text() == "待审核"
    assert Organization.objects.get(pk=university.pk).name == "测试大学"
    # Then the city approves it from its queue, and the record carries the new name
    _as(page, live_server, personas.municipal_admin)
    page.goto(f"{url}/orgs/identity-changes/?status=pending")
    page.click("#identity-change-requests a")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button[data-target=approved]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#change-request-status").inner_text() == "已批准并生效"
    assert Organization.objects.get(pk=university.pk).name == "测试理工大学"
