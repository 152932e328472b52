"""gunicorn settings of the web process (Procfile `web`, make serve, deploy/systemd).

PORT (default 8000) and BIND_ADDRESS (default 127.0.0.1: the reverse proxy on this machine;
0.0.0.0 when a load balancer on another machine connects) choose the socket; WEB_CONCURRENCY
overrides the workers, by default 2 × cores + 1 (gunicorn's rule for synchronous workers).
"""

import multiprocessing
import os

bind = f"{os.environ.get('BIND_ADDRESS', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after about this many requests (bounds any slow leak). The jitter is
# wide on purpose: with a narrow one every worker reached its limit within the same second
# under load, all restarted at once (each reopening the match indexes) and requests failed.
# GUNICORN_MAX_REQUESTS=0 turns recycling off (bench_load's soak does, to see whether memory
# stays flat without the safety net).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 2
accesslog = "-"
errorlog = "-"
# Only the proxy in front may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Each worker opens the match indexes before its first request (the word segmenter and
    memory maps load once, not inside a user's request) and follows the other nodes'
    index changes (no-op without fan-out)."""
    from tmhub.matching import fanout
    from tmhub.matching.sources import KINDS
    from tmhub.matching.store import get_handle

    fanout.ensure_follower()
    for kind in KINDS:
        get_handle(kind).get()
