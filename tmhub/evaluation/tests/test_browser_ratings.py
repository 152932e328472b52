"""Issue 17 item 8, in a browser (Playwright on Debian's chromium): a rating round from its
opening to a published rating — the city sets it up on the form, assigns a reviewer, opens it;
the reviewer scores; the city computes, reviews and publishes — then the rated manager reads
the explanation of every indicator and follows the link to the records behind one, in Chinese
and in English."""

import datetime
import os

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.evaluation.models import Rating, RatingRound
from tmhub.evaluation.rating_choices import RoundStatus
from tmhub.evaluation.tests.rating_helpers import CUTOFF, START, registered_manager, small_system
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ContractKind, PartyRole

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, live_server, username):
    page.context.clear_cookies()
    sign_in(page, live_server, username, PASSWORD)


def _step(page, target):
    page.click(f"#round-buttons form[action$='/step/{target}/'] button")
    page.wait_for_load_state("networkidle")


def test_a_round_from_opening_to_a_published_rating_and_its_explanation(
        live_server, browser_page, personas):
    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations
    city = personas.municipal_admin
    manager = registered_manager(personas)
    system = small_system(city)
    project = transfer.create_project(actor=personas.institution_admin,
                                      institution=personas.university, title="浏览器项目",
                                      lead=manager)
    transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title="专利许可合同", kind=ContractKind.LICENCE, amount_fen=500_000,
        signed_on=datetime.date(2026, 5, 6),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])

    # Given the city's round, set up on the form
    _as(page, live_server, city.username)
    page.goto(f"{url}/evaluation/")
    page.click("#rounds-link")
    page.click("#new-round")
    page.fill("input[name=name]", "2026年度浏览器评价")
    page.fill("input[name=period_start]", str(START))
    page.fill("input[name=period_end]", str(CUTOFF))
    page.select_option("select[name=manager_system]", str(system.pk))
    page.select_option("select[name=institutions]", str(personas.university.pk))
    page.click("#form-submit")
    round_ = RatingRound.objects.get(name="2026年度浏览器评价")
    assert page.url.endswith(round_.get_absolute_url())
    assert "测试大学" in page.locator("#round-filter").inner_text()

    # When it assigns the reviewer and opens the round
    page.select_option("#assign-form select[name=indicator]",
                       str(system.indicators.get(code="expert").pk))
    page.fill("#assign-form input[name=reviewer]", personas.reviewer.username)
    page.click("#assign-form button")
    _step(page, RoundStatus.OPEN)
    assert page.locator("#round-status").inner_text() == "专家评分中"

    # And the reviewer scores the manager
    _as(page, live_server, personas.reviewer.username)
    page.goto(f"{url}/evaluation/ratings/reviews/")
    page.click("#review-table tbody a")
    page.fill("input[name=score]", "150")
    page.click("#form-submit")
    assert page.locator(".invalid-feedback").count() >= 1  # out of range, next to the field
    page.fill("input[name=score]", "85")
    page.fill("textarea[name=comment]", "需求挖掘能力突出。")
    page.click("#form-submit")

    # And the city computes, reviews the results and publishes them
    _as(page, live_server, city.username)
    page.goto(url + round_.get_absolute_url())
    _step(page, RoundStatus.COMPUTING)
    page.goto(url + round_.get_absolute_url())
    assert page.locator("#round-status").inner_text() == "已计算，审核中"
    assert page.locator("#rating-table tbody tr").count() == 1
    _step(page, RoundStatus.PUBLISHED)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
    rating = Rating.objects.get(round=round_, manager=manager)
    # 业绩 60: one deal (60 points) × 50% + 5,000 of 10,000 yuan (50 points) × 50%; 评议 40: 85
    assert str(rating.total) == "67.00"

    # Then the manager reads how every indicator was computed, in Chinese …
    _as(page, live_server, manager.username)
    page.goto(f"{url}/evaluation/")
    page.click("#ratings-link")
    page.click("#rating-list-table tbody a")
    assert page.locator("#rating-total").inner_text() == "67.00"
    explanation = page.locator("#explanation")
    assert "1 达到 1 档：60分" in explanation.locator("#item-deals").inner_text()
    assert "1位专家评分的平均值：85分" in explanation.locator("#item-expert").inner_text()
    # … and in English
    page.select_option("#language-select", "en")
    page.wait_for_load_state("networkidle")
    deals = page.locator("#item-deals").inner_text()
    assert "reaches the threshold 1: 60 points" in deals
    assert "Mean of 1 reviewer scores: 85 points" in page.locator("#item-expert").inner_text()
    # And follows the link to the records behind the contract value
    page.click("#item-value a")
    page.wait_for_load_state("networkidle")
    assert "专利许可合同" in page.content()
