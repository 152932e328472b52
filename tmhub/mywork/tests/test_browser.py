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


def test_tto_admin_records_a_royalty_report_and_a_patent_lapse(
        live_server, browser_page, personas):
    """A quarter's royalty report is chased from My work and recorded on the licence's royalty
    page (its royalty joins the payment schedule); an unpaid patent's lapse is recorded from
    the portfolio, with its reason in the status history."""
    import datetime

    from django.utils import timezone

    from tmhub.mywork.patents import add_months
    from tmhub.mywork.services import set_royalty_terms
    from tmhub.mywork.tests.helpers import add_patent
    from tmhub.transfer.tests.chain import make_achievement, make_chain

    page, url = browser_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmation of the lapse
    today = timezone.localdate()
    contract = make_chain(personas).contract
    set_royalty_terms(contract, actor=personas.institution_admin, rate_percent="3.00",
                      period_months=3, first_period_start=add_months(today.replace(day=1), -4),
                      report_within_days=30, payment_within_days=30, ends_on=None)
    filed = add_months(today - datetime.timedelta(days=200), -12 * 3)
    patent = add_patent(make_achievement(personas, actor=personas.institution_admin),
                        personas.institution_admin, filed_on=filed,
                        granted_on=add_months(filed, 30))  # year 4's fee never paid

    sign_in(page, live_server, personas.institution_admin.username, PASSWORD)
    chase = page.locator("#my-work-table tr[data-kind='transfer.royalty_report']")
    assert chase.count() >= 1
    before = chase.count()
    assert "table-danger" in chase.first.get_attribute("class")  # the ended quarter's report
    chase.first.locator("a.btn").click()
    page.wait_for_load_state("networkidle")
    assert f"/my/royalties/{contract.pk}/" in page.url
    page.fill("#id_report-received_on", today.isoformat())
    page.fill("#id_report-net_sales_yuan", "186400")
    page.click("#royalty-report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "5,592.00" in page.locator("#royalty-reports").inner_text()
    page.goto(f"{url}/my/")
    assert page.locator("#my-work-table tr[data-kind='transfer.royalty_report']").count() \
        == before - 1
    lapse = page.locator("#my-work-table tr[data-kind='transfer.patent_lapse']")
    assert lapse.count() == 1
    lapse.first.locator("a.btn").click()
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#ip-{patent.pk}")
    card.locator("summary").click()
    card.locator("select").select_option("lapsed")
    card.locator("input[name$='-reason']").fill("第4年度年费滞纳期满未缴，专利权终止")
    card.locator(".ip-status-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    history = page.locator(f"#ip-{patent.pk} .status-history")
    assert "第4年度年费滞纳期满未缴" in history.inner_text()
    page.goto(f"{url}/my/")
    assert page.locator("#my-work-table tr[data-kind='transfer.patent_lapse']").count() == 0
