"""Sign-in middleware: the second factor for the powerful roles, and the idle-session expiry."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tmhub.accounts import two_factor

# What an unverified session of a two-factor role may still reach: signing in and out, the
# two-factor pages themselves, the language switch and the token endpoint (which asks for its
# own code).
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two-factor-setup",
        "accounts:two-factor-verify",
        "set_language",
        "api-token",
    }
)
LAST_SEEN_KEY = "tmhub.last_seen"


def _url_name(request) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a session of a user who must use two-factor sign-in
    and has not entered a code is sent to enrolment or verification for every page; API
    requests on such a session answer 403 `two_factor_required`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and two_factor.requires_two_factor(user)
            and _url_name(request) not in OPEN_BEFORE_SECOND_FACTOR
        ):
            return self._hold(request, user)
        return self.get_response(request)

    def _hold(self, request, user):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _("Enter your two-factor code on the sign-in page first."),
                    "code": "two_factor_required",
                },
                status=403,
            )
        name = (
            "accounts:two-factor-verify"
            if two_factor.has_confirmed_device(user)
            else "accounts:two-factor-setup"
        )
        target = reverse(name) + "?" + urlencode({"next": request.get_full_path()})
        response = redirect(target)
        if getattr(request, "htmx", False):
            response["HX-Redirect"] = target
        return response


def start_idle_clock(sender, request, user, **kwargs):
    """At sign-in (django.contrib.auth's user_logged_in): the session's last request is now,
    so the first requests after signing in write no session (a write per sign-in, not per
    request; concurrent requests of one session do not contend for the session row)."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Sign a session out after SESSION_IDLE_MINUTES without a request. The last request's
    time is written at most once a minute (not a session write per request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if request.path_info.startswith("/api/"):
                    return JsonResponse(
                        {
                            "detail": _("Your session has expired; sign in again."),
                            "code": "session_expired",
                        },
                        status=401,
                    )
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect(
                    reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
                )
            if last_seen is None or now - last_seen >= 60:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
