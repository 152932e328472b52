"""Issue 16 item 8, in a browser (Playwright on Debian's chromium): one title application from
the applicant's draft to the public notice of the result, through the employer's review and
notice and the bureau's intake check, panel and vote."""

import datetime
import os

import pytest
from django.utils import timezone

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication, TitleDirection, TitleLevel
from tmhub.evaluation.tests.helpers import PASSWORD as OFFICER_PASSWORD
from tmhub.evaluation.tests.helpers import bureau_officer, open_round, panel_of, profile_of

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username, password=PASSWORD):
    page.context.clear_cookies()
    sign_in(page, live_server, username, password)


def _step(page, target):
    page.click(f"button[data-target={target}]")


def test_an_application_walks_from_draft_to_the_public_notice(live_server, browser_page,
                                                              personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    officer = bureau_officer()
    profile_of(personas.manager, personas.university, full_name="刘洋")
    open_round()

    # Given the applicant's draft, made on the form
    _as(page, live_server, personas.manager.username)
    page.goto(f"{url}/evaluation/applications/")
    page.click("#new-application")
    page.select_option("select[name=level]", str(TitleLevel.objects.get(code="engineer").pk))
    page.select_option("select[name=direction]",
                       str(TitleDirection.objects.get(code="operation").pk))
    page.select_option("select[name=education]", "bachelor")
    page.fill("input[name=years_since_education]", "6")
    page.fill("input[name=years_in_current_title]", "0")
    page.fill("textarea[name=summary]", "负责专利许可合同谈判与成果推介。")
    page.click("#application-form button[type=submit]")
    application = TitleApplication.objects.get()
    assert page.url.endswith(application.get_absolute_url())

    # When the applicant submits it
    _step(page, S.SUBMITTED)
    assert page.locator("#application-status").get_attribute("data-status") == S.SUBMITTED

    # And the employer approves it and gives notice within the institution
    _as(page, live_server, personas.institution_admin.username)
    page.goto(url + application.get_absolute_url())
    _step(page, S.EMPLOYER_NOTICE)
    assert page.locator("#employer-notice").is_visible()
    # (the notice period passes)
    TitleApplication.objects.filter(pk=application.pk).update(
        employer_notice_end=timezone.localdate() - datetime.timedelta(days=1))
    page.reload()
    _step(page, S.ENDORSED)
    assert page.locator("#application-status").get_attribute("data-status") == S.ENDORSED

    # And the bureau passes the intake check and assigns a reviewer of the panel
    panel = panel_of(application, officer, size=3)  # the panel of 3 experts, formed before
    reviewer = panel.memberships.order_by("id").first().expert
    _as(page, live_server, officer.username, OFFICER_PASSWORD)
    page.goto(url + application.get_absolute_url())
    _step(page, S.PANEL_REVIEW)
    page.click(f"#reviews a[href='{panel.get_absolute_url()}#application-{application.pk}']")
    page.select_option(f"select[name=a{application.pk}-expert]", str(reviewer.pk))
    page.click(f"#application-{application.pk} button[type=submit]")
    assert page.locator(f"#application-{application.pk} [data-review]").count() == 1

    # And the reviewer scores it on the weighted criteria
    _as(page, live_server, reviewer.user.username)
    page.goto(f"{url}/evaluation/reviews/")
    page.click("#review-table a")
    for name in ("professional_ability", "performance", "representative_works"):
        page.fill(f"input[name=score_{name}]", "80")
    page.click("#submit-scores")
    assert "80.00" in page.locator("#own-total").inner_text()

    # And the bureau closes the review and records the vote
    _as(page, live_server, officer.username, OFFICER_PASSWORD)
    page.goto(url + application.get_absolute_url())
    _step(page, S.VOTE)
    page.click("#record-vote")
    page.fill("input[name=panel_size]", "3")
    page.fill("input[name=members_present]", "3")
    page.fill("input[name=votes_for]", "3")
    page.fill("input[name=votes_against]", "0")
    page.fill("input[name=votes_abstain]", "0")
    page.click("#vote-form button[type=submit]")

    # Then the result is under public notice, with its period on the official calendar
    assert page.locator("#application-status").get_attribute("data-status") == \
        S.RESULT_NOTICE
    assert page.locator("#result-notice").is_visible()
    assert "3" in page.locator("#vote-tally").inner_text()
