"""Public pages answered from the cache for visitors who are not signed in.

Most of the public directories' traffic is anonymous and asks the same pages again (a
manager's profile, an achievement, the first page of a search). For a visitor with no session
and no pending message, a page depends only on its address, the language, the day and the
platform's data; so it is kept, per data generation (tmhub.core.result_cache: every audited
write moves it, so a change anywhere is seen on the next request), for `PAGE_CACHE_SECONDS`.

What is never kept: anything for a signed-in visitor or one with a session, HTMX fragments,
other methods than GET, answers other than 200 HTML, answers that set a cookie other
than the CSRF one or say `private`/`no-store`/`no-cache` (never_cache views), the API, the
admin and the sign-in pages.

The CSRF token: a page's forms (the language switch) carry the visitor's own token. A kept
page stores a placeholder where the token was; each visitor gets the page with a token of
their own secret (`get_token`, so the CSRF middleware sets their cookie as on any page). A page
holding a token the placeholder did not replace is not kept.

This middleware sits inside the security, session, locale, CSRF, authentication and message
middleware, so a page from the cache still gets every response header they add.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from tmhub.core import result_cache

log = logging.getLogger(__name__)

PLACEHOLDER = "__tmhub_csrf_token__"
# Where base.html and {% csrf_token %} write the token.
TOKEN_SPOTS = re.compile(
    r'(?<=name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(?=")'
    r'|(?<="X-CSRFToken": ")[A-Za-z0-9]{64}(?=")'
)
ANY_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
NOT_KEPT_PREFIXES = ("/api/", "/admin/", "/accounts/", "/static/", "/media/", "/healthz",
                     "/i18n/")
# Headers the inner layers (the view) set that a kept page answers with again; the outer
# middleware adds its own headers to every answer, kept or not.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def request_is_cacheable(request) -> bool:
    if request.method != "GET" or request.path.startswith(NOT_KEPT_PREFIXES):
        return False
    if request.headers.get("HX-Request") or request.headers.get("Authorization"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def response_is_cacheable(response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def page_key(request) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return (f"tmhub:page:{result_cache.generation()}:{timezone.localdate().isoformat()}:"
            f"{getattr(request, 'LANGUAGE_CODE', '')}:{digest}")


def without_tokens(content: str, request) -> str | None:
    """The page with its CSRF tokens replaced by the placeholder, or None when a token is left
    that the placeholder could not stand for."""
    stored = TOKEN_SPOTS.sub(PLACEHOLDER, content)
    secret = request.META.get("CSRF_COOKIE")
    if secret and _holds_token(stored, secret):
        return None
    return stored


def _holds_token(content: str, secret: str) -> bool:
    from django.middleware.csrf import _unmask_cipher_token  # the only way to recognise one

    return any(_unmask_cipher_token(token) == secret for token in ANY_TOKEN.findall(content))


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (enabled() and request_is_cacheable(request)):
            return self.get_response(request)
        try:
            key = page_key(request)
            entry = cache.get(key)
        except Exception:  # noqa: BLE001 - an unreachable cache costs speed, never the page
            log.exception("page cache unreachable")
            return self.get_response(request)
        if entry is not None:
            return self._from_entry(request, entry)
        response = self.get_response(request)
        if response_is_cacheable(response):
            self._keep(request, key, response)
        return response

    def _from_entry(self, request, entry) -> HttpResponse:
        content, with_token = entry["content"], PLACEHOLDER in entry["content"]
        if with_token:
            content = content.replace(PLACEHOLDER, get_token(request))
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        if with_token:
            patch_vary_headers(response, ("Cookie",))  # as the CSRF middleware does
        return response

    def _keep(self, request, key, response) -> None:
        charset = response.charset or "utf-8"
        stored = without_tokens(response.content.decode(charset), request)
        if stored is None:
            return
        headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
        try:
            cache.set(key, {"content": stored, "headers": headers},
                      timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            log.exception("page cache unreachable")
