"""In a real browser: the discipline select of a disclosure is typed in, searched on the
server, and the option picked is what the form posts (Tom Select, served locally)."""

import pytest

from conftest import PASSWORD
from tmhub.core.models import Discipline
from tmhub.core.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_type_in_the_discipline_select_and_pick_an_option(personas, live_server, browser_page):
    page = browser_page
    number_theory = Discipline.objects.get(code="A0101")
    sign_in(page, live_server, personas.institution_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/transfer/achievements/new/")

    select = page.locator("select[name=discipline]")
    # 2,916 disciplines, none of them in the page: only the empty choice.
    assert select.locator("option").count() == 1
    control = page.locator("#id_discipline-ts-control")
    assert control.get_attribute("placeholder") == "输入以搜索…"

    # The input of a single select is a one-character box inside the control: click the
    # control, as a person does.
    control.locator("xpath=..").click()
    control.fill("数论")
    option = page.locator(".ts-dropdown .option", has_text="A0101 数论")
    option.wait_for()
    # The server's best match comes first (a function: the page's CSP refuses eval).
    page.wait_for_function(
        "() => { const o = document.querySelector('.ts-dropdown .option');"
        " return o !== null && o.textContent.trim() === 'A0101 数论'; }"
    )
    option.click()
    assert select.input_value() == str(number_theory.pk)
    chosen = control.locator("xpath=..").locator(".item")  # the .ts-control holding both
    assert chosen.inner_text() == "A0101 数论"

    # A query that matches nothing says so in the page's language.
    control.fill("不存在的学科名称")
    page.locator(".ts-dropdown .no-results", has_text="没有匹配项").wait_for()
