"""Given every persona, when it follows any link or GET form on its home page and on every page
its navigation opens (the bar, the account menu, and each module's tab bar), then each answers
200 (or redirects to a page that does) and is not a page saying the persona may not use it: no
button leads a persona to a 404 or a "no permission" page."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from conftest import client_for, sqlite_suite_only
from tmhub.core.tests.permission_matrix import PERSONA_NAMES

# Not pages: files, the API's machine answers, and links that would end the crawl's session.
SKIPPED_PREFIXES = ("/static/", "/media/", "/api/", "/admin/", "/accounts/logout/")
MAX_REDIRECTS = 5
NESTING = ("div", "ul", "nav")
# Pages that answer 200 only to tell the visitor their role may not use them.
REFUSALS = ("Your role has no import permissions.",)


def _is_navigation(tag, attrs):
    classes = (attrs.get("class") or "").split()
    return tag == "nav" or attrs.get("id") == "mainnav" or (tag == "ul" and "nav" in classes)


class _Links(HTMLParser):
    """The same-site targets of a page (every <a href> and GET form action) and, among them,
    those inside navigation (the bar, the account menu, a module's tabs)."""

    def __init__(self, base):
        super().__init__()
        self.base = base
        self.targets, self.nav = [], []
        self._depth = 0  # open NESTING elements
        self._nav_depth = None  # the depth at which the innermost navigation opened

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in NESTING:
            self._depth += 1
            if self._nav_depth is None and _is_navigation(tag, attrs):
                self._nav_depth = self._depth
        if tag == "a" and attrs.get("href"):
            self._add(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._add(attrs.get("action") or self.base)

    def handle_endtag(self, tag):
        if tag in NESTING:
            if self._nav_depth == self._depth:
                self._nav_depth = None
            self._depth -= 1

    def _add(self, href):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            return
        parts = urlsplit(urljoin(self.base, href))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return  # another site
        if parts.path.startswith(SKIPPED_PREFIXES):
            return
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        self.targets.append(url)
        if self._nav_depth is not None:
            self.nav.append(url)


def links_of(url, html):
    parser = _Links(url)
    parser.feed(html)
    return parser


def follow(client, url):
    """The answer to `url` after at most MAX_REDIRECTS same-site redirects."""
    response = client.get(url)
    for _ in range(MAX_REDIRECTS):
        if response.status_code not in (301, 302, 303, 307, 308):
            break
        url = urljoin(url, response["Location"])
        response = client.get(url)
    return response


def _html(response):
    if "html" not in response.get("Content-Type", ""):
        return None
    return response.content.decode()


def crawl(client, home):
    """Every link of the home page and of every navigation page (reached through navigation
    links only, from the home page): ({link: its answer}, [(first page showing it, link, what
    is wrong)] for the links that do not open)."""
    refusals = [*REFUSALS, *(gettext(text) for text in REFUSALS)]
    answers, broken = {}, []

    def check(page, link):
        if link in answers:
            return answers[link]  # judged where it was first seen
        response = answers[link] = follow(client, link)
        html = _html(response) or ""
        if response.status_code != 200:
            broken.append((page, link, f"answered {response.status_code}"))
        elif refused := next((text for text in refusals if text in html), None):
            broken.append((page, link, f"says {refused!r}"))
        return response

    pages, seen = [home], {home}
    assert check("(start)", home).status_code == 200
    while pages:
        page = pages.pop(0)
        html = _html(answers[page])
        if html is None or answers[page].status_code != 200:
            continue
        links = links_of(page, html)
        if page == home:
            assert links.nav, "no navigation bar found on the home page"
        for link in dict.fromkeys(links.targets):
            check(page, link)
        for link in links.nav:
            if link not in seen and urlsplit(link).query == "":
                seen.add(link)
                pages.append(link)
    return answers, broken


@sqlite_suite_only
@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_every_link_a_persona_sees_opens(personas, persona):
    client = client_for(None if persona == "anonymous" else getattr(personas, persona))
    _answers, broken = crawl(client, reverse("core:home"))
    assert not broken, f"{persona} sees links that do not open:\n" + "\n".join(
        f"  on {page}: {link} {problem}" for page, link, problem in broken
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, offered",
    [
        ("municipal_admin", False),
        ("department_officer", False),
        ("district_officer", False),
        ("manager", True),
        ("outsider", True),  # may make a profile and apply to join the pool
    ],
)
def test_my_manager_profile_is_offered_to_managers_not_to_officers(personas, persona, offered):
    client = client_for(getattr(personas, persona))
    answers, _broken = crawl(client, reverse("core:home"))
    shown = reverse("talent:my-profile") in answers
    assert shown is offered, f"{persona} {'is not' if offered else 'is'} offered a profile"
