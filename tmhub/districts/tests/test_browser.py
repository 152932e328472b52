"""Issue 15 item 12, in a browser (Playwright on Debian's chromium): a district publishes a
commissioner vacancy, a registered manager applies and is appointed."""

import datetime
import os

import pytest
from django.utils import timezone

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.districts.choices import ApplicationStatus, PostStatus
from tmhub.districts.models import CommissionerPost

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_district_publishes_a_vacancy_a_manager_applies_and_is_appointed(
        live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of irreversible steps
    today = timezone.localdate()

    # Given the Haidian officer, when they create a post and publish its vacancy
    _as(page, live_server, personas.district_officer)
    page.goto(f"{url}/districts/posts/new/")
    page.fill("input[name=title]", "科技成果转化专员")
    page.fill("input[name=park]", "中关村软件园")
    page.select_option("select[name=time_basis]", "part_time")
    page.fill("input[name=applications_close_on]",
              (today + datetime.timedelta(days=30)).isoformat())
    page.click("main form button[type=submit]")
    post = CommissionerPost.objects.get()
    assert post.status == PostStatus.DRAFT and post.district == personas.haidian
    page.click("#publish")
    post.refresh_from_db()
    assert post.status == PostStatus.OPEN

    # Then a registered manager finds the vacancy and applies
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/districts/posts/{post.pk}/")
    page.fill("textarea[name=statement]", "十年高校技术转移经验，熟悉软件园企业")
    page.click("#apply")
    application = post.applications.get()
    assert application.applicant == personas.manager

    # And the district appoints them for a two-year term
    _as(page, live_server, personas.district_officer)
    page.goto(f"{url}/districts/posts/{post.pk}/")
    page.select_option("select[name=application]", str(application.pk))
    page.fill("input[name=term_start]", today.isoformat())
    page.fill("input[name=term_end]", (today + datetime.timedelta(days=730)).isoformat())
    page.click("#appoint")
    post.refresh_from_db()
    application.refresh_from_db()
    assert post.status == PostStatus.FILLED and post.holder == personas.manager
    assert application.status == ApplicationStatus.APPOINTED
    assert personas.manager.display_name in page.content()
