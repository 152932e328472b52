"""Issue 17 item 8, in a browser (Playwright on Debian's chromium): a case drafted on the form
from a landed project, submitted by its manager, reviewed by the institution and the city,
the party's consent recorded, published, then read on the public page in Chinese and in
English — with the withheld contract value nowhere on it."""

import datetime
import os

import pytest
from django.conf import settings

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.evaluation.case_choices import CaseStatus as C
from tmhub.evaluation.models import TransferCase
from tmhub.evaluation.tests.case_helpers import NARRATIVE, landed_project
from tmhub.transfer.rewards_engine import format_fen

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    page.context.clear_cookies()
    sign_in(page, live_server, username, PASSWORD)


def _step(page, target, reason=None):
    form = page.locator(f"form:has(button[data-target={target}])")
    if reason:
        form.locator("input[name=reason]").fill(reason)
    page.click(f"button[data-target={target}]")


def _status(page):
    return page.locator("#case-status").get_attribute("data-status")


def test_a_case_from_a_landed_project_is_reviewed_published_and_read_in_both_languages(
        live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    project = landed_project(personas)

    # Given the project's manager drafts a case on the form
    _as(page, live_server, personas.manager.username)
    page.goto(f"{url}/evaluation/cases/manage/")
    page.click("#new-case")
    page.select_option("select[name=project]", str(project.pk))
    for name, value in NARRATIVE.items():
        page.fill(f"[name={name}]", value)
    page.fill("[name=title_en]", "Licensing a solid electrolyte")
    page.uncheck("input[name=withhold_income]")  # the income is published, the rest withheld
    page.click("#case-form button[type=submit]")
    case = TransferCase.objects.get()
    assert page.url.endswith(case.get_absolute_url())
    assert format_fen(case.facts["contract_value_fen"]) in page.inner_text("#fact-contracts")

    # When the manager submits it, the institution and then the city approve it
    _step(page, C.SUBMITTED)
    assert _status(page) == C.SUBMITTED
    _as(page, live_server, personas.institution_admin.username)
    page.goto(url + case.get_absolute_url())
    _step(page, C.INSTITUTION_REVIEWED)
    assert _status(page) == C.INSTITUTION_REVIEWED
    _as(page, live_server, personas.municipal_admin.username)
    page.goto(url + case.get_absolute_url())
    _step(page, C.CITY_REVIEWED)
    # publication waits for the party's consent: the button says so
    assert page.locator(f"button[data-target={C.PUBLISHED}]").is_disabled()

    # And the party's consent is recorded with its evidence
    page.click("#record-consent")
    page.fill("[name=consented_by]", "周经理（总经理）")
    page.fill("[name=consented_on]", datetime.date.today().isoformat())
    page.fill("[name=note]", "书面同意函已存档。")
    page.click("#case-form button[type=submit]")
    assert page.locator("#consents-complete").is_visible()
    _step(page, C.PUBLISHED)
    assert _status(page) == C.PUBLISHED

    # Then anyone reads it in the library, in Chinese…
    page.context.clear_cookies()
    page.goto(f"{url}/evaluation/cases/?q=许可谈判")
    page.click(f"[data-case='{case.pk}'] a")
    assert page.inner_text("#case-title") == NARRATIVE["title_zh"]
    assert format_fen(case.facts["income"]["received_fen"]) in page.inner_text("#fact-income")
    assert format_fen(case.facts["contract_value_fen"]) not in page.content()

    # …and in English, the Chinese narrative shown with a notice where no English was given
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": url}])
    page.reload()
    assert page.inner_text("#case-title") == "Licensing a solid electrolyte"
    assert page.locator("#fallback-notice").is_visible()
    assert "Background" in page.inner_text("#case-background")
    assert format_fen(case.facts["contract_value_fen"]) not in page.content()
