"""Which rows a large list shows, remembered until any record changes.

The public directories and their API lists answer the same few searches over and over
("人工智能", "专利" …); ranking 100,000 managers or 200,000 achievements for each of them costs
far more than showing the 25 rows found. This cache keeps, per list, query string, page and
viewer, the ids of the page's rows and the list's count — never the rows themselves or the
page: those are read from the database on every request, through the viewer's policy, so a
cached entry cannot show a row in a state it no longer has, nor a field its viewer may not see.

Freshness: one data generation for the whole platform, part of every key. Every audited write
(`tmhub.core.audit` publishes an event for each) moves it twice — inside the writer's
transaction and again once it has committed — so an entry computed from the data before a
change is never found after it: a reader that ran between the two moves stored its entry
under the generation the commit then leaves behind. Writes are rare next to reads here; a
change anywhere empties every list's cache at once, which keeps the rule simple to trust.
Entries also expire after `TIMEOUT` seconds (lists that depend on today's date move on daily).

The cache is the platform's Django cache: Redis in production (shared by every process and
node), process memory in the demo.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

from tmhub.core import events

log = logging.getLogger(__name__)

GENERATION_KEY = "tmhub:data-generation"
TIMEOUT = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def advance_generation(_event=None) -> None:
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not set yet (or evicted): any new value differs from the keys'
            cache.add(GENERATION_KEY, generation() + 1, timeout=None)
    except Exception:  # noqa: BLE001 - the cache being down must not undo anyone's write
        log.exception("could not move the list cache's data generation")


# Both moments, on purpose (see the module's docstring).
for _event_class in (events.ObjectChanged, events.WorkflowStepped):
    events.subscribe(_event_class, when=events.IN_TRANSACTION)(advance_generation)
    events.subscribe(_event_class)(advance_generation)


def viewer_key(user) -> str:
    """Whose view of the list: every anonymous visitor sees the same rows; a signed-in user
    sees the rows of their own scope."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"user:{user.pk}"


def key_for(list_name: str, params, user) -> str:
    """`params`: the request's query parameters (a QueryDict or pairs); their order does not
    matter, every value does."""
    items = params.lists() if hasattr(params, "lists") else params
    canonical = "&".join(
        f"{name}={value}" for name, values in sorted(items) for value in sorted(values)
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return f"tmhub:list:{generation()}:{list_name}:{viewer_key(user)}:{digest}"


def lookup(list_name: str, params, user) -> tuple[str | None, dict | None]:
    """(key, entry): the entry is None on a miss; the key is None when the cache cannot be
    reached (the list is then computed as if there were no cache)."""
    try:
        key = key_for(list_name, params, user)
        return key, cache.get(key)
    except Exception:  # noqa: BLE001 - an unreachable cache costs speed, never the page
        log.exception("list cache unreachable")
        return None, None


def put(key: str | None, ids: list, count: int, capped: bool = False) -> None:
    if key is None:
        return
    try:
        cache.set(key, {"ids": list(ids), "count": count, "capped": capped}, timeout=TIMEOUT)
    except Exception:  # noqa: BLE001
        log.exception("list cache unreachable")


def remember(name: str, compute, user=None):
    """A figure computed once per data generation: `compute()` runs on a miss, or every time
    when the cache cannot be reached. Without `user` the figure is one everyone sees alike (a
    count on a home page); with it, the figure of that viewer's own scope (their totals on a
    dashboard), kept apart from every other viewer's. A figure is plain data (numbers, dicts
    of numbers), never rows: those are read through the viewer's policy on every request."""
    try:
        key = f"tmhub:figure:{generation()}:{name}"
        if user is not None:
            key += f":{viewer_key(user)}"
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        log.exception("list cache unreachable")
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=TIMEOUT)
        except Exception:  # noqa: BLE001
            log.exception("list cache unreachable")
    return value


def rows_in_order(queryset, ids: list) -> list:
    """The rows of `ids` read through `queryset` (its policy, joins and annotations), in the
    order of `ids`; an id the queryset no longer yields is left out."""
    found = {row.pk: row for row in queryset.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]
