"""Issue 18 in a browser (Playwright on Debian's chromium): the transfer office's administrator
signs in to My work, sees a patent fee falling due and an overdue contract payment; recording
the receipt on the contract clears the payment from the list."""

import os

import pytest

from conftest import PASSWORD
from tmhub.core.tests.browser import sign_in
from tmhub.mywork.tests.test_deadlines import patents_due, schedule  # noqa: F401 (fixtures)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tto_admin_sees_a_due_fee_and_an_overdue_payment_and_the_receipt_clears_it(
        live_server, browser_page, personas, patents_due, schedule):  # noqa: F811
    page, url = browser_page, live_server.url
    contract, (_first, second, _third) = schedule
    sign_in(page, live_server, personas.institution_admin.username, PASSWORD)
    assert page.url.rstrip("/").endswith("/my")  # My work is the page after sign-in
    fees = page.locator("#my-work-table tr[data-kind='transfer.patent_fee']")
    assert fees.count() == 2
    payments = page.locator("#my-work-table tr[data-kind='transfer.installment']")
    assert payments.count() == 2
    overdue = payments.first
    assert "table-danger" in overdue.get_attribute("class")
    assert "200,000.00" in overdue.inner_text()  # the balance left by a partial payment

    overdue.locator("a.btn").click()
    page.wait_for_load_state("networkidle")
    assert f"/transfer/contracts/{contract.pk}/" in page.url, page.url
    assert page.locator("#receipt-form").count() == 1, page.content()[:3000]
    page.fill("#receipt-form input[name=r-received_on]", page.evaluate(
        "new Date().toISOString().slice(0, 10)"))
    page.fill("#receipt-form input[name=r-amount]", "200000")
    page.click("#receipt-form button")
    page.wait_for_load_state("networkidle")

    page.goto(f"{url}/my/")
    payments = page.locator("#my-work-table tr[data-kind='transfer.installment']")
    assert payments.count() == 1  # only the instalment not yet due is left
    assert "table-danger" not in (payments.first.get_attribute("class") or "")
