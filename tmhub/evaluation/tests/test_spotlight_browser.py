"""Issue 17 item 6 in a browser (Playwright on Debian's chromium): the city picks a manager
from a published round's results, writes the citation and records the consent; a second
municipal user approves it; the public spotlight page shows it in Chinese and English."""

import os

import pytest
from django.conf import settings

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.evaluation.models import SpotlightEntry
from tmhub.evaluation.spotlight_choices import SpotlightStatus
from tmhub.evaluation.tests.spotlight_helpers import round_with_rating, second_city

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    page.context.clear_cookies()
    sign_in(page, live_server, username, PASSWORD)


def test_the_city_picks_a_manager_a_second_person_approves_the_public_reads_it(
        live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    round_, rating = round_with_rating(personas)
    approver = second_city()

    # Given the city's list of published rounds, it picks the manager from the results
    _as(page, live_server, personas.municipal_admin.username)
    page.goto(f"{url}/evaluation/spotlight/manage/")
    page.click(f"#pick-rounds a[href$='/pick/{round_.pk}/']")
    page.click(f"a.pick-manager[data-rating='{rating.pk}']")
    page.fill("textarea[name=citation_zh]", "深耕高校专利许可，促成多项成果落地。")
    page.fill("textarea[name=citation_en]", "Brought many university patents to market.")
    page.click("#citation-form button[type=submit]")
    entry = SpotlightEntry.objects.get()
    # And records the manager's consent, then submits it
    page.fill("#consent-form input[name=note]", "本人签署同意书（2026年12月）。")
    page.click("#consent-form button[type=submit]")
    page.click(f"button[data-target={SpotlightStatus.PENDING}]")
    assert page.locator("#spotlight-status").get_attribute("data-status") == \
        SpotlightStatus.PENDING
    # The drafter's approve button is disabled (four eyes)
    assert page.locator(f"button[data-target={SpotlightStatus.PUBLISHED}]").is_disabled()

    # When a second municipal user approves it
    _as(page, live_server, approver.username)
    page.goto(url + entry.get_absolute_url())
    page.click(f"button[data-target={SpotlightStatus.PUBLISHED}]")
    entry.refresh_from_db()
    assert entry.status == SpotlightStatus.PUBLISHED

    # Then the public page shows it, in Chinese
    page.context.clear_cookies()
    page.goto(f"{url}/evaluation/spotlight/")
    assert "优秀技术经理人" in page.inner_text("h1")
    assert "深耕高校专利许可" in page.inner_text("#spotlight-entries")
    # And in English
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en",
                               "url": url}])
    page.goto(f"{url}/evaluation/spotlight/")
    assert "Outstanding technology managers" in page.inner_text("h1")
    page.click("#spotlight-entries a")
    assert "Brought many university patents to market." in page.inner_text(
        "#spotlight-citation")
