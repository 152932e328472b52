"""Given an anonymous visitor, when every route of the site is requested with hostile path
values, and every public list page with hostile query values, then no answer is a 5xx.

The routes are read from the URL resolver (the admin and the API included), so a new route is
crawled without being listed here. Each path argument is filled with values a crawler or a
prankster sends: slashes, `..`, quotes, NUL, 5,000 characters, non-ASCII, markup, numbers no
column holds. A value goes where the route's converter accepts it (an `int` argument takes
"0" and 30 nines; the others get a plain value), so it reaches the view; the raw values with
slashes are requested too (they resolve to another route or none). The public list pages
(routes without arguments that answer an anonymous GET with 200) then get every query
parameter they read: their filter's fields, the fields of the GET forms on the page, and the
list parameters. Run on PostgreSQL too: it refuses NUL in text where SQLite stores it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import get_converters
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

HOSTILE = [
    "a/b",
    "../../etc/passwd",
    "..",
    "'\"`;--",
    "\x00",
    "x\x00y",
    "%",
    "x" * 5000,
    "证书/编号",
    "技术经理人",
    "<script>alert(1)</script>",
    "-1",
    "0",
    "9" * 30,
    "1.5",
    "²",
    " ",
    "\\",
]
ADMIN_SAMPLE = ["a/b", "x\x00y", "x" * 5000]
# On PostgreSQL (the second suite) the values whose handling differs by database: NUL, which
# PostgreSQL refuses in text where SQLite stores it, numbers no column holds, long strings.
# The SQLite suite sends every value of HOSTILE.
DATABASE_SENSITIVE = ["\x00", "x\x00y", "9" * 30, "x" * 5000, "a/b"]


def hostile_values() -> list[str]:
    return DATABASE_SENSITIVE if connection.vendor == "postgresql" else HOSTILE
# The few that find most faults, for each query parameter on its own (all of them go to every
# page at once as well).
SHARPEST = ["a/b", "'\"`;--", "x\x00y", "x" * 5000, "技术经理人", "9" * 30, "-1"]
# Query parameters the list pages read (tmhub.core.listing, DRF), beside their filters' fields.
LIST_PARAMETERS = ("page", "page_size", "q", "search", "sort", "ordering", "export", "format")
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<[^>]+>[^)]*\)")
# What an argument gets where its converter refuses the hostile value: a plain one.
PLAIN = {"int": "1", "uuid": "12345678-1234-1234-1234-123456789abc"}


def route_templates() -> list[tuple[str, tuple[str, ...]]]:
    """Every route as (a path with `{}` where an argument goes, each argument's converter)."""
    found = set()

    def text(pattern) -> tuple[str, tuple[str, ...]]:
        if isinstance(pattern, RoutePattern):
            route = str(pattern._route)
            kinds = tuple(m["converter"] or "str" for m in _CONVERTER.finditer(route))
            return _CONVERTER.sub("{}", route), kinds
        if isinstance(pattern, RegexPattern):  # the admin's few regex routes
            raw = pattern._regex
            kinds = ("str",) * len(_REGEX_GROUP.findall(raw))
            return _REGEX_GROUP.sub("{}", raw).lstrip("^").rstrip("$").replace("\\", ""), kinds
        return str(pattern), ()

    def walk(patterns, prefix, prefix_kinds):
        for pattern in patterns:
            here, kinds = text(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + here, prefix_kinds + kinds)
            elif isinstance(pattern, URLPattern):
                found.add(("/" + prefix + here, prefix_kinds + kinds))

    walk(get_resolver().url_patterns, "", ())
    return sorted(found)


def _fill(template: str, values) -> str:
    return template.format(*(quote(v, safe="/") for v in values))


def hostile_paths(template: str, kinds: tuple[str, ...]) -> set[str]:
    """The template filled with each hostile value where its converter takes it, and raw."""
    converters = get_converters()
    paths = set()
    # The admin sends an anonymous visitor to its sign-in page before reading any argument.
    for value in ADMIN_SAMPLE if template.startswith("/admin/") else hostile_values():
        fitted = [
            value if re.fullmatch(converters[kind].regex, value) else PLAIN.get(kind, "x")
            for kind in kinds
        ]
        paths.add(_fill(template, fitted))
        if "/" in value or value == "..":
            paths.add(_fill(template, [value] * len(kinds)))
    return paths


class _GetFormFields(HTMLParser):
    """Names of the fields of the page's GET forms (search boxes, filters, lookups)."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _anonymous() -> Client:
    client = Client()
    client.raise_request_exception = False  # a 500 is an answer to record, not to raise
    return client


def _server_errors(client, requests, **headers) -> list[str]:
    failures = []
    for url in requests:
        response = client.get(url, headers=headers)
        if response.status_code >= 500:
            failures.append(f"GET {url[:160]} → {response.status_code}")
    return failures


def _filter_names(view) -> list[str]:
    owner = getattr(view, "view_class", None) or getattr(view, "cls", None)
    filterset = getattr(owner, "filterset_class", None)
    return list(filterset.base_filters) if filterset is not None else []


def public_pages(client) -> dict[str, set[str]]:
    """Routes without arguments that an anonymous visitor may open (no API), with the query
    parameters each reads."""
    pages = {}
    for template, kinds in route_templates():
        if kinds or template.startswith(("/admin/", "/api/", "/i18n/")):
            continue
        response = client.get(template)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        form = _GetFormFields()
        form.feed(response.content.decode())
        names = form.names | set(_filter_names(resolve(template).func)) | set(LIST_PARAMETERS)
        pages[template] = names - {"csrfmiddlewaretoken"}
    return pages


@pytest.fixture
def published_records(personas):
    """A little of everything the public pages list: the transfer chain and a certificate."""
    from decimal import Decimal

    from tmhub.training import services
    from tmhub.training.tests.helpers import attend_all, given_running_cohort
    from tmhub.transfer.tests.chain import make_chain

    make_chain(personas)
    _cohort, (enrolment,), sessions, exam = given_running_cohort(
        personas, [personas.manager], code="crawl"
    )
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("90")}, actor=personas.municipal_admin)


def test_no_route_answers_a_hostile_path_with_a_server_error(published_records):
    templates = route_templates()
    assert len(templates) > 100, templates  # the walk found the site, not a fragment of it
    requests = sorted({p for template, kinds in templates for p in hostile_paths(template, kinds)})
    failures = _server_errors(_anonymous(), requests)
    assert not failures, "\n".join(failures)


def test_no_public_page_answers_hostile_query_values_with_a_server_error(published_records):
    client = _anonymous()
    pages = public_pages(client)
    assert {"/orgs/", "/talent/", "/transfer/achievements/", "/training/verify/"} <= set(pages)
    assert "number" in pages["/training/verify/"]  # the lookup form's field was read
    requests = [
        f"{url}?{urlencode({name: value})}"
        for url, names in pages.items()
        for name in sorted(names)
        for value in (SHARPEST if connection.vendor != "postgresql" else DATABASE_SENSITIVE)
    ]
    # All of them at once, too: one parameter's value must not break another's handling.
    every = [
        f"{url}?{urlencode(dict.fromkeys(sorted(names), value))}"
        for url, names in pages.items()
        for value in hostile_values()
    ]
    failures = _server_errors(client, requests + every)
    failures += _server_errors(client, every, HX_Request="true")  # the HTMX partials
    assert not failures, "\n".join(failures)


def test_no_api_list_answers_hostile_query_values_with_a_server_error(published_records):
    client = _anonymous()
    lists = {
        template: set(_filter_names(resolve(template).func)) | set(LIST_PARAMETERS)
        for template, kinds in route_templates()
        if template.startswith("/api/v1/") and not kinds
    }
    requests = [
        f"{url}?{urlencode({name: value})}"
        for url, names in lists.items()
        for name in sorted(names)
        for value in (SHARPEST if connection.vendor != "postgresql" else DATABASE_SENSITIVE)
    ]
    failures = _server_errors(client, requests)
    assert not failures, "\n".join(failures)


# --- the certificate verification page: what the crawl found there, and what it shows


@pytest.fixture
def certificate(personas):
    from decimal import Decimal

    from tmhub.training import services
    from tmhub.training.models import Certificate
    from tmhub.training.tests.helpers import attend_all, given_running_cohort

    _cohort, (enrolment,), sessions, exam = given_running_cohort(
        personas, [personas.manager], code="verify"
    )
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("90")}, actor=personas.municipal_admin)
    return Certificate.objects.select_related("enrolment__cohort__programme__provider").get(
        enrolment=enrolment
    )


@pytest.mark.parametrize("number", ["BJTM/2025/J00001", "a/b", "../x", "/"])
def test_a_number_with_a_slash_is_no_certificate_not_a_server_error(certificate, number):
    response = _anonymous().get("/training/verify/", {"number": number})
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-result="unknown"' in page and "不存在编号为" in page, page[-2000:]


@pytest.mark.parametrize("number", ["x\x00y", "\x00", "证书\x07", "Z" * 41])
def test_a_number_no_certificate_can_carry_is_unknown_on_the_page_and_the_api(certificate, number):
    client = _anonymous()
    page = client.get(f"/certificates/verify/{quote(number)}/")
    assert page.status_code == 404 and 'data-result="unknown"' in page.content.decode()
    api = client.get(f"/api/v1/certificates/verify/{quote(number)}/")
    assert api.status_code == 404 and api.json()["result"] == "unknown"


def test_the_lookup_refuses_a_number_longer_than_any_certificate_s_with_a_message(certificate):
    response = _anonymous().get("/training/verify/", {"number": "B" * 5000})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def test_the_verification_page_shows_issue_date_issuer_level_and_hours(certificate):
    from django.utils import timezone

    response = _anonymous().get(f"/certificates/verify/{certificate.number.lower()}/")
    assert response.status_code == 200
    page = response.content.decode()
    provider = certificate.enrolment.cohort.programme.provider
    issued = timezone.localtime(certificate.issued_at).date().isoformat()
    assert 'data-result="valid"' in page
    assert f'id="verified-issuer">{provider.name_zh}<' in page
    assert f'id="verified-issued">{issued}<' in page
    assert f'id="verified-hours">{certificate.hours.normalize():f}<' in page
    assert certificate.get_level_display() in page and certificate.holder_name in page
