"""Serving the dashboard from a cache that every training write invalidates.

The figures are read again (see data.py: a few small queries over the running totals, fast
enough on their own; the cache only saves those) the first time a scope asks after a change;
every service that changes what the dashboard counts calls `changed()`, which moves a version
number both at once and again on commit (so a reader that raced the transaction cannot keep
stale figures), and so do the subscribers to talent-pool and organisation edits
(subscriptions.py).
Entries expire after TRAINING_DASHBOARD_CACHE_SECONDS (default 300; 0 disables).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from tmhub.core.roles import Role

VERSION_KEY = "training:dashboard:version"


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def changed() -> None:
    _bump()
    transaction.on_commit(_bump)


def _seconds() -> int:
    return int(getattr(settings, "TRAINING_DASHBOARD_CACHE_SECONDS", 300))


def scope_key(scope) -> str:
    if scope.is_municipal:
        return "city"
    return "|".join([
        ",".join(sorted(scope.roles)), ",".join(map(str, sorted(scope.district_ids))),
        ",".join(sorted(scope.department_org_kinds)),
        ",".join(map(str, sorted(scope.orgs(Role.INSTITUTION_ADMIN)))),
    ])


def cached(scope, today, name: str, compute):
    """`compute()` for this scope, day and language, reused until the next change."""
    seconds = _seconds()
    if seconds <= 0:
        return compute()
    version = cache.get(VERSION_KEY) or 0
    key = (f"training:dashboard:{version}:{today.isoformat()}:"
           f"{translation.get_language()}:{name}:{scope_key(scope)}")
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
