"""Issue 14 item 8, in a browser (Playwright on Debian's chromium): a manager posts a need,
introduces a ranked provider, the provider accepts, both rate the collaboration, and the
rating appears on the provider's public page."""

import datetime
import os

import pytest
from django.utils import timezone

from conftest import PASSWORD
from tmhub.core.tests.browser import choose, sign_in
from tmhub.network import collaborations
from tmhub.network.choices import CollaborationStatus
from tmhub.network.models import Collaboration, Introduction, ServiceNeed, ServiceType
from tmhub.network.tests.helpers import given_project, given_service

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user.username, PASSWORD)


def test_need_introduction_acceptance_ratings_on_the_provider_page(live_server, browser_page,
                                                                    personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    given_service(personas, publish=True)
    project = given_project(personas)

    # Given the manager, when they post a need for their project
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/network/needs/new/")
    choose(page, "select[name=project]", project.pk, project.title)
    page.select_option("select[name=service_type]",
                       str(ServiceType.objects.get(code="patent_drafting").pk))
    page.fill("input[name=title]", "核心算法专利布局")
    page.fill("input[name=budget_fen]", "20000")
    deadline = timezone.localdate() + datetime.timedelta(days=20)
    page.fill("input[name=deadline]", deadline.isoformat())
    page.click("#form-submit")
    need = ServiceNeed.objects.get()
    assert page.url.endswith(f"/network/needs/{need.pk}/")

    # Then the provider is ranked with its reasons, and they introduce it
    ranked = page.locator("#ranked-providers li").first
    assert personas.provider_org.name in ranked.inner_text()
    page.click(f"#ranked-providers button[data-provider='{personas.provider_org.pk}']")
    introduction = Introduction.objects.get()

    # When the provider accepts
    _as(page, live_server, personas.service_provider)
    page.goto(f"{url}/network/introductions/{introduction.pk}/")
    page.click("button[data-target=accepted]")
    introduction.refresh_from_db()
    assert introduction.status == "accepted"

    # And the manager records and completes the collaboration, then rates it
    _as(page, live_server, personas.manager)
    page.goto(f"{url}/network/introductions/{introduction.pk}/")
    page.click("#start-collaboration")
    page.fill("textarea[name=scope]", "两件发明专利申请")
    page.fill("input[name=started_on]", timezone.localdate().isoformat())
    page.fill("input[name=fee_fen]", "15000")
    page.click("#form-submit")
    collaboration = Collaboration.objects.get()
    collaborations.update_collaboration(collaboration, actor=personas.manager,
                                        outcome="已提交两件申请")
    collaboration.refresh_from_db()
    collaborations.step(collaboration, CollaborationStatus.COMPLETED, actor=personas.manager)
    page.goto(f"{url}/network/collaborations/{collaboration.pk}/")
    page.click("#rate-link")
    for name in ("quality", "timeliness", "communication", "value"):
        page.check(f"input[name={name}][value='5']")
    page.fill("textarea[name=comment]", "专业高效，沟通顺畅")
    page.click("#form-submit")
    provider_page = f"{url}/network/providers/{personas.provider_org.pk}/"
    page.context.clear_cookies()  # a visitor: one side only has rated, nothing is released
    page.goto(provider_page)
    assert "专业高效" not in page.content()

    # When the provider rates too, the manager's rating appears on the public page
    _as(page, live_server, personas.service_provider)
    page.goto(f"{url}/network/collaborations/{collaboration.pk}/rate/")
    for name in ("clarity", "cooperation", "payment"):
        page.check(f"input[name={name}][value='4']")
    page.click("#form-submit")
    page.context.clear_cookies()
    page.goto(provider_page)
    assert "专业高效，沟通顺畅" in page.content()
    assert "5.00 / 5" in page.content()
