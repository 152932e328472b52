"""/healthz: may the load balancer send this node traffic? Database, Redis, match index.

Answers 200 with ``{"status": "ok", "checks": {...}}`` when every check passes, else 503 with
the failing check marked ``"ok": false`` (the reason goes to the log, never to the client: no
host names or errors leak to whoever can reach the port). Plain HTTP is allowed
(``SECURE_REDIRECT_EXEMPT``): load balancers usually probe a node directly.

* database — one ``SELECT 1`` on the default connection;
* redis — ``PING`` on ``REDIS_URL`` (reported as not configured, and passing, in the SQLite
  demo that has none);
* match_index — each kind's index opens on this node (built from the database when missing,
  reloaded after another process's write) and, with fan-out, how far this node's cursor is
  behind the stream of index changes.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

log = logging.getLogger(__name__)


def _timed(check):
    started = time.perf_counter()
    try:
        result = check() or {}
        ok = True
    except Exception:  # noqa: BLE001 - any failure makes the node unhealthy; details in the log
        log.exception("health check %s failed", check.__name__)
        result, ok = {}, False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1), **result}


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


_redis_clients: dict = {}


def _redis_client():
    """One client (and its connection pool) per process and URL: a new connection per probe
    cost more than the rest of the check together, and a load balancer probes every few
    seconds."""
    import redis

    url = settings.REDIS_URL
    if url not in _redis_clients:
        _redis_clients[url] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
        )
    return _redis_clients[url]


def redis_ping():
    if not settings.REDIS_URL:
        return {"configured": False}
    if not _redis_client().ping():
        raise RuntimeError("no PONG")
    return {"configured": True}


def match_index():
    from tmhub.matching import fanout
    from tmhub.matching.sources import KINDS
    from tmhub.matching.store import get_handle

    result = {"documents": {kind: len(get_handle(kind).get()) for kind in KINDS}}
    if fanout.enabled():
        result["fanout"] = fanout.lag()
    return result


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    checks = {
        "database": _timed(database),
        "redis": _timed(redis_ping),
        "match_index": _timed(match_index),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
