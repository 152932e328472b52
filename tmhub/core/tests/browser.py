"""Shared Playwright set-up: Debian's chromium, never a downloaded browser."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def browser_page():
    """A fresh page in headless Debian chromium; closed after the test."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # live_server + sync Playwright
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is required for browser tests (make browser installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def sign_in(page, live_server, username, password):
    """Sign in through the login page; a role that needs two-factor sign-in then enters a real
    code: on first sign-in it enrols (the key the set-up page shows), later it verifies."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/two-factor/" in page.url:
        page.fill("input[name=token]", _current_code(page, username))
        page.click("#two-factor-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        if page.locator("#two-factor-continue").count():  # recovery codes after enrolment
            page.click("#two-factor-continue")
            page.wait_for_load_state("networkidle")


def _current_code(page, username) -> str:
    """The code an authenticator app would show: from the key on the set-up page, or (already
    enrolled) from a new authenticator of the user, so a second sign-in within one 30-second
    step does not reuse a code."""
    import base64
    import time

    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tmhub.accounts.models import User

    secret = page.locator("#two-factor-secret")
    if secret.count():
        encoded = secret.get_attribute("data-secret")
        key = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    else:
        device = TOTPDevice.objects.create(user=User.objects.get(username=username),
                                           name="browser test", confirmed=True)
        key = device.bin_key
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


_CHOOSE = """(el, [value, text]) => {
  const ts = el.tomselect;
  if (ts) { ts.addOption({value: value, text: text}); ts.setValue(value); return; }
  if (![...el.options].some(o => o.value === value)) { el.add(new Option(text, value)); }
  el.value = value;
  el.dispatchEvent(new Event("change", {bubbles: true}));
}"""


def choose(page, selector: str, value, text: str = "") -> None:
    """Pick `value` in a select, also a searchable one whose options come from a lookup as one
    types (Tom Select keeps only the chosen option in the page): as the widget does on a pick."""
    page.eval_on_selector(selector, _CHOOSE, [str(value), text or str(value)])
