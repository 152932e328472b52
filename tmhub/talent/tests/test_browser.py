"""In a real browser: a new user registers as a technology manager, the institution
endorses, the city approves from the review queue, and the public directory finds them."""

import os

import pytest

from conftest import PASSWORD
from tmhub.core.models import IndustryField
from tmhub.core.tests.browser import choose, sign_in
from tmhub.talent.models import Competence, ManagerProfile
from tmhub.talent.tests.helpers import resident_id

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    """A fresh browser context signed in as `username`."""
    context = page.context.browser.new_context(locale="zh-CN")
    other = context.new_page()
    other.set_default_timeout(15000)
    sign_in(other, live_server, username, PASSWORD)
    return other


def test_manager_registers_and_is_approved(personas, live_server, browser_page):
    page = browser_page
    number = resident_id(123)
    # A newcomer creates an account from the directory
    page.goto(f"{live_server.url}/talent/")
    page.click("text=申请成为技术经理人")
    page.fill("input[name=username]", "newmanager")
    page.fill("input[name=full_name]", "欧阳明")
    page.fill("input[name=email]", "newmanager@example.cn")
    page.fill("input[name=password]", "Strong-pass-2025")
    page.click("#signup-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # …fills in the profile (a wrong check digit is refused first)
    page.fill("input[name=id_number]", number[:-1] + ("1" if number[-1] != "1" else "2"))
    choose(page, "select[name=employer]", str(personas.university.pk))
    page.select_option("select[name=work_district]", str(personas.haidian.pk))
    page.select_option("select[name=degree]", "doctor")
    # (no training level on the form: it follows certificates)
    assert page.locator("select[name=training_level]").count() == 0
    page.check(f"input[name=fields][value='{IndustryField.objects.get(code='MED').pk}']")
    page.check(f"input[name=competences][value='{Competence.objects.get(code='VALUE').pk}']")
    page.fill("textarea[name=bio]", "专注创新药与医疗器械的技术评估作价和许可谈判。")
    page.click("#profile-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".invalid-feedback").count() >= 1
    page.fill("input[name=id_number]", number)
    page.click("#profile-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert number not in page.content()
    # …applies: the complete profile is submitted in one step
    page.click("#start-registration")
    page.wait_for_load_state("networkidle")
    assert page.locator("#registration-status").inner_text() == "已提交"
    registration_url = page.url

    # The institution administrator endorses
    tto = _as(page, live_server, personas.institution_admin.username)
    tto.goto(registration_url)
    tto.click("button[data-target=endorsed]")
    tto.wait_for_load_state("networkidle")
    assert tto.locator("#registration-status").inner_text() == "单位已推荐"

    # The municipal administrator approves from the review queue
    city = _as(page, live_server, personas.municipal_admin.username)
    city.goto(f"{live_server.url}/talent/review/")
    city.check("input[name=ids]")
    city.click("#bulk-approve")
    city.wait_for_load_state("networkidle")
    profile = ManagerProfile.objects.get(full_name="欧阳明")
    assert profile.is_listed and profile.registry_number.startswith("BJTM-")

    # Anyone finds them in the directory, in Chinese and in English
    page.goto(f"{live_server.url}/talent/?q=创新药")
    assert "欧阳明" in page.locator("#directory-results").inner_text()
    assert profile.registry_number in page.locator("#directory-results").inner_text()
    page.goto(f"{live_server.url}/talent/?q=valuation")
    assert "欧阳明" in page.locator("#directory-results").inner_text()
