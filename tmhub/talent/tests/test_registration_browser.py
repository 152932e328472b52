"""In a real browser: 申请入库 on an incomplete profile lists the missing fields with links to
them; once completed it is submitted in one step with a supporting document; the employer's
opinion reaches the applicant's registration page."""

import os

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.talent.models import ManagerRegistration
from tmhub.talent.tests.helpers import make_profile

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    context = page.context.browser.new_context(locale="zh-CN")
    other = context.new_page()
    other.set_default_timeout(15000)
    sign_in(other, live_server, username, PASSWORD)
    return other


def test_apply_lists_what_is_missing_then_submits_in_one_step(
    personas, live_server, browser_page, tmp_path
):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian, bio=""
    )
    page = _as(browser_page, live_server, personas.manager.username)
    # The manager's page names the missing bio, with a link to it on the form
    page.goto(f"{live_server.url}{profile.get_absolute_url()}")
    missing = page.locator("#missing-fields li")
    assert missing.count() == 1 and "公开简介" in missing.inner_text()
    # Clicking 申请入库 anyway submits nothing
    page.click("#start-registration")
    page.wait_for_load_state("networkidle")
    assert "尚未提交" in page.content()
    assert not ManagerRegistration.objects.exists()
    # The link leads to the field, which the form marks required
    page.click("#missing-fields a[href$='#id_bio']")
    page.wait_for_load_state("networkidle")
    assert page.locator("label[for=id_bio] .text-danger").count() == 1
    page.fill("textarea[name=bio]", "专注医疗器械的技术评估与许可谈判。")
    page.click("#profile-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    # Now 申请入库 submits at once, with the degree attached
    degree = tmp_path / "学位证书.pdf"
    degree.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert page.locator("#missing-fields").count() == 0
    page.set_input_files("input[name=document_degree]", str(degree))
    page.click("#start-registration")
    page.wait_for_load_state("networkidle")
    assert "已提交，等待单位推荐" in page.content()
    assert page.locator("#registration-status").inner_text() == "已提交"
    assert "学位证书.pdf" in page.locator("#documents").inner_text()
    registration_url = page.url

    # The employer endorses with an opinion …
    tto = _as(browser_page, live_server, personas.institution_admin.username)
    tto.goto(registration_url)
    tto.fill("form:has(button[data-target=endorsed]) textarea[name=reason]", "同意推荐。")
    tto.click("button[data-target=endorsed]")
    tto.wait_for_load_state("networkidle")
    assert "已推荐，等待市级审核" in tto.content()
    # … which the applicant reads on their registration page
    page.goto(registration_url)
    assert "同意推荐。" in page.locator("#opinions").inner_text()
