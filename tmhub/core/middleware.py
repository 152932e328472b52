"""Site-wide middleware: the UI language, and races answered 409 instead of 500.

Chinese first: the UI language is the user's explicit choice, else zh-hans. Django's
LocaleMiddleware would follow the browser's Accept-Language; the platform's users work in
Chinese and switch to English deliberately (the language cookie set by /i18n/setlang/).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ConflictMiddleware:
    """A view that lost a race (tmhub.core.conflicts) answers 409, never 500, and keeps the
    user's place: a form post or HTMX request goes back to the page it came from with the
    message "changed by someone else, reload"; anything else gets a page saying so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from tmhub.core.conflicts import CONFLICT_MESSAGE, is_conflict

        if not is_conflict(exception):
            return None
        logger.warning("Conflict on %s %s: %s", request.method, request.path, exception)
        message = _conflict_text(exception, CONFLICT_MESSAGE)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "conflict"}, status=409)
        htmx = getattr(request, "htmx", None)
        back = _same_site(request, htmx.current_url if htmx else None) or _same_site(
            request, request.headers.get("referer"))
        if back and (htmx or request.method not in ("GET", "HEAD")):
            messages.error(request, message, fail_silently=True)
            if htmx:
                response = HttpResponse(message, status=409)
                response["HX-Redirect"] = back
                return response
            return HttpResponseRedirect(back, status=303)
        if request.method in ("GET", "HEAD"):
            back = request.get_full_path()
        return render(request, "core/conflict.html", {"message": message, "back": back},
                      status=409)


def _conflict_text(exception, default) -> str:
    from django.core.exceptions import ValidationError

    if isinstance(exception, ValidationError):
        return " ".join(exception.messages)
    return str(default)


def _same_site(request, url) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None
