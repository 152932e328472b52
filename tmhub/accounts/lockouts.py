"""Sign-in lockouts (django-axes): the client address, the lockout answer, logging, unlocking.

Settings (tmhub/settings.py): LOGIN_FAILURE_LIMIT failures for one username lock that username,
LOGIN_ADDRESS_FAILURE_LIMIT failures from one client address (over any usernames) lock that
address, for LOGIN_LOCKOUT_MINUTES after the last failure. The address limit is higher: a whole
office behind one NAT address must not be locked out by a few colleagues' typos. The client
address trusts X-Forwarded-For only from TRUSTED_PROXY_COUNT proxies, the same rule DRF's
throttles use (NUM_PROXIES).
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
from dataclasses import dataclass, field

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from tmhub.core import policies
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_event

security_log = logging.getLogger("tmhub.security")

USERNAME = "username"
ADDRESS = "ip_address"


# --- the client address ------------------------------------------------------------------------

def _valid_ip(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n proxies in front, the
    n-th address from the right of X-Forwarded-For (what the outermost trusted proxy saw). Addresses
    to the left of that were written by the client and are ignored. Same rule as DRF's NUM_PROXIES.
    """
    meta = request.META
    remote = meta.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if count and forwarded:
        addresses = [item.strip() for item in forwarded.split(",")]
        candidate = _valid_ip(addresses[-min(count, len(addresses))])
        if candidate:
            return candidate
    return _valid_ip(remote) if remote else None


def client_ip_for_ratelimit(request) -> str:
    """django-ratelimit's "ip" key (it needs an address): unknown clients share one bucket."""
    return client_ip(request) or "0.0.0.0"


# --- the axes handler --------------------------------------------------------------------------

class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler; a successful sign-in clears only that username's failures.

    (axes' own reset also deletes every failure from the client's address, so an attacker holding
    one account could sign in to it between guesses and never reach the address limit.)
    """

    def get_failures(self, request, credentials=None) -> int:
        """axes compares this with LOGIN_FAILURE_LIMIT (on every sign-in and after every failure);
        username and address have limits of their own, so report at least that limit when either
        has reached its own, and less than it otherwise."""
        username = get_client_username(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        by_username = failures(username=username) if username else 0
        by_address = failures(ip_address=address) if address else 0
        account_limit = limit_for(USERNAME)
        if by_username >= account_limit or by_address >= limit_for(ADDRESS):
            return max(by_username, account_limit)
        return min(by_username, account_limit - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        return clear_username_failures(get_client_username(request, credentials))


def limit_for(kind: str) -> int:
    """Failures that lock a username (USERNAME) or a client address (ADDRESS)."""
    return (settings.LOGIN_FAILURE_LIMIT if kind == USERNAME
            else settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def cool_off() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _recent_attempts():
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off())


def failures(**lookup) -> int:
    """Failures within the cool-off window for one username or one address."""
    return _recent_attempts().filter(**lookup).aggregate(n=Sum("failures_since_start"))["n"] or 0


def clear_username_failures(username: str | None) -> int:
    """What a successful sign-in does (the API token endpoint signs in without a session):
    that username's failures go, the address's failures for other usernames stay."""
    if not username:
        return 0
    count, _rows = AccessAttempt.objects.filter(username=username).delete()
    return count


# --- the answer to a locked-out sign-in --------------------------------------------------------

def lockout_message() -> str:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Too many failed sign-in attempts. Sign-in is blocked for %(minutes)d minute after the "
        "last attempt; try again later, or ask the platform administrator to unlock it.",
        "Too many failed sign-in attempts. Sign-in is blocked for %(minutes)d minutes after the "
        "last attempt; try again later, or ask the platform administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page in the UI language, JSON under /api/. 429 with Retry-After.

    The same answer whether or not the username exists.
    """
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    headers = {"Retry-After": str(minutes * 60)}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(), "code": "locked_out"},
                            status=429, headers=headers)
    response = render(request, "accounts/locked_out.html",
                      {"minutes": minutes, "retry_at": timezone.now() + cool_off()}, status=429)
    response["Retry-After"] = headers["Retry-After"]
    return response


# --- logging and auditing every lockout --------------------------------------------------------

def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """axes' `user_locked_out` (sent on the failure that reaches the limit and on every refused
    attempt after it): a log line each time, and when a username or an address has just reached
    the limit, a warning and — for an existing account — an audit event on that account."""
    from tmhub.accounts.models import User  # local import: models are loaded after this module

    path = getattr(request, "path", "")
    newly = []
    if username and failures(username=username) == limit_for(USERNAME):
        newly.append(USERNAME)
    if ip_address and failures(ip_address=ip_address) == limit_for(ADDRESS):
        newly.append(ADDRESS)
    if not newly:
        security_log.info("Sign-in refused during lockout: username=%r address=%s path=%s",
                          username, ip_address, path)
        return
    for kind in newly:
        security_log.warning(
            "Sign-in locked out (%s) after %d failures: username=%r address=%s path=%s",
            "account" if kind == USERNAME else "address", limit_for(kind), username,
            ip_address, path,
        )
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        record_event(
            actor=SYSTEM, obj=user, event_type="accounts.login.locked_out",
            reason=", ".join(newly),
            data={"locked": newly, "ip_address": ip_address, "path": path,
                  "failures": {kind: limit_for(kind) for kind in newly},
                  "minutes": settings.LOGIN_LOCKOUT_MINUTES},
        )


# --- current lockouts and unlocking (the municipal administrator's page) -----------------------

@dataclass
class Lockout:
    kind: str  # USERNAME or ADDRESS
    value: str
    failures: int
    last_attempt: datetime.datetime
    others: list = field(default_factory=list)  # addresses for an account, usernames for one
    other_count: int = 0

    @property
    def until(self) -> datetime.datetime:
        return self.last_attempt + cool_off()

    @property
    def is_account(self) -> bool:
        return self.kind == USERNAME


def current_lockouts(query: str = "") -> list[Lockout]:
    """Usernames and addresses locked out right now, most recent first."""
    attempts = _recent_attempts()
    result = []
    for kind, other in ((USERNAME, ADDRESS), (ADDRESS, USERNAME)):
        rows = attempts.exclude(**{f"{kind}__isnull": True})
        if kind == USERNAME:
            rows = rows.exclude(username="")
        if query:
            rows = rows.filter(**{f"{kind}__icontains": query})
        grouped = (
            rows.values(kind)
            .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"),
                      others=Count(other, distinct=True))
            .filter(n__gte=limit_for(kind))
        )
        for row in grouped:
            value = row[kind]
            sample = list(
                attempts.filter(**{kind: value}).exclude(**{f"{other}__isnull": True})
                .order_by("-attempt_time").values_list(other, flat=True).distinct()[:3]
            )
            result.append(Lockout(kind=kind, value=value, failures=row["n"],
                                  last_attempt=row["last"], others=sample,
                                  other_count=row["others"]))
    result.sort(key=lambda lock: lock.last_attempt, reverse=True)
    return result


@transaction.atomic
def unlock(*, actor, kind: str, value: str) -> int:
    """Clear the failures of one username or one address; audited. Returns the rows cleared.
    The city only (the User policy's `unlock`); anyone else gets 404."""
    from tmhub.accounts.models import User

    policies.require(actor, "unlock", User)
    if kind == USERNAME:
        count = AxesProxyHandler.reset_attempts(username=value)
    elif kind == ADDRESS:
        value = _valid_ip(value) or ""
        count = AxesProxyHandler.reset_attempts(ip_address=value) if value else 0
    else:
        raise ValueError(kind)
    locked_user = User.objects.filter(username=value).first() if kind == USERNAME else None
    record_event(
        actor=actor, obj=locked_user or actor, event_type="accounts.login.unlocked",
        data={"kind": kind, "value": value, "attempts_cleared": count},
    )
    security_log.warning("Sign-in lockout cleared by %s: %s=%r (%d records)",
                         getattr(actor, "username", actor), kind, value, count)
    return count
