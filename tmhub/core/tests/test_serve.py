"""`make serve` (issue 13, item 1): the preflight refuses to start and says which variable is
missing or weak; the real stack (gunicorn, Celery worker and beat on Redis, PostgreSQL) starts
on a free port, answers /healthz and a page, and stops cleanly on Ctrl-C."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests

from tmhub import preflight

ROOT = Path(__file__).resolve().parents[3]
GOOD = {
    "SECRET_KEY": "Vq3-8xZ" * 8,
    "TALENT_ID_KEY": "talent-key-R7w2Lp9Qs4Xz1Nc6Vb3Mk8",
    "ALLOWED_HOSTS": "tmhub.example.gov.cn",
    "DATABASE_URL": "postgres://tmhub@127.0.0.1:5432/tmhub",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
REDIS_URL = os.environ.get("TEST_SERVE_REDIS_URL", "redis://127.0.0.1:6379/14")


def test_every_missing_variable_is_named_at_once():
    found = preflight.problems({})
    assert [line.split(" ")[0] for line in found] == list(preflight.REQUIRED)
    assert all("is missing" in line for line in found)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY is weak: it is too short (9 characters"),
        ({"SECRET_KEY": "ab" * 30}, "SECRET_KEY is weak: it has fewer than 5 different"),
        (
            {"SECRET_KEY": "django-insecure-" + "k3Jd9" * 10},
            "SECRET_KEY is weak: it is a published development or test value",
        ),
        ({"TALENT_ID_KEY": "Vq3-8xZ" * 8}, "TALENT_ID_KEY must differ from SECRET_KEY"),
        ({"TALENT_ID_KEY": "too-short"}, "TALENT_ID_KEY is too short (9 characters"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the hosts"),
        ({"DATABASE_URL": "sqlite:///var/x.sqlite3"}, "DATABASE_URL must name a PostgreSQL"),
        ({"REDIS_URL": "memory://"}, "REDIS_URL must be a redis://"),
        ({"DEBUG": "1"}, "DEBUG must be off"),
    ],
)
def test_a_weak_or_unfit_value_is_named(change, message):
    found = preflight.problems({**GOOD, **change})
    assert len(found) == 1 and found[0].startswith(message), found


def test_good_values_pass():
    assert preflight.problems(GOOD) == []


def test_services_that_do_not_answer_are_named():
    env = {
        **GOOD,
        "DATABASE_URL": "postgres://x@127.0.0.1:9/none",
        "REDIS_URL": "redis://127.0.0.1:9/0",
    }
    found = preflight.service_problems(env)
    assert [line.split(":")[0] for line in found] == ["DATABASE_URL", "REDIS_URL"]
    assert "PostgreSQL does not answer" in found[0] and "Redis does not answer" in found[1]


def test_serve_refuses_to_start_and_says_why():
    # given an environment with two of the five variables, one of them weak
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "changeme", "REDIS_URL": GOOD["REDIS_URL"]}
    # when the stack is started, then it exits 2 before starting anything, naming each problem
    done = subprocess.run(
        [sys.executable, "-m", "tmhub.serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    for name in ("TALENT_ID_KEY is missing", "ALLOWED_HOSTS is missing", "DATABASE_URL is missing"):
        assert name in done.stderr
    assert "SECRET_KEY is weak" in done.stderr
    assert "REDIS_URL" not in done.stderr
    assert "serve: starting" not in done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def postgres_test_database(django_db_setup, django_db_blocker):
    """The suite's (migrated) PostgreSQL test database, as a URL for other processes."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the production stack runs on PostgreSQL (the PostgreSQL pass runs it)")
        db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_stack_serves_health_and_pages_and_stops_on_ctrl_c(postgres_test_database, tmp_path):
    # given the five variables, a free port and Redis (one worker of each kind: 2 shared cores)
    redis.Redis.from_url(REDIS_URL).ping()
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "SECRET_KEY": "serve-test-K8s2Lq9Wz4Xp1Nd6Vb3Mk7Jh5Gf0Rt" + "aB3dE6gH9j",
        "TALENT_ID_KEY": "serve-test-talent-Q1w2E3r4T5y6U7i8O9p0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": postgres_test_database,
        "REDIS_URL": REDIS_URL,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "TMHUB_VAR_DIR": str(tmp_path / "var"),
        # collected once per checkout and reused (the stamp in tmhub/serve.py)
        "TMHUB_STATIC_ROOT": str(ROOT / "var" / "test-staticfiles"),
        "TMHUB_MATCH_INDEX_STREAM": f"tmhub-test-serve-{os.getpid()}",
        "SERVE_STOP_SECONDS": "20",
        # the worker's "ready" line (the project's logging keeps Celery's INFO lines quiet)
        "TMHUB_CELERY_LOG_LEVEL": "INFO",
    }
    log = open(tmp_path / "serve.log", "w+")
    stack = subprocess.Popen(
        [sys.executable, "-m", "tmhub.serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # when it has started
        deadline, health = time.monotonic() + 180, None
        while time.monotonic() < deadline and stack.poll() is None:
            try:
                health = requests.get(f"{base}/healthz", timeout=10)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        assert health is not None, _tail(log)
        # then /healthz reports the database, Redis and the match index, over plain HTTP
        assert health.status_code == 200, health.text
        checks = health.json()["checks"]
        assert checks["database"]["ok"] and checks["redis"]["ok"] and checks["redis"]["configured"]
        assert checks["match_index"]["ok"] and set(checks["match_index"]["documents"]) == {
            "achievements",
            "demands",
            "managers",
            "providers",
        }
        # a page renders with the collected (hashed) static files, served by the app itself
        page = requests.get(f"{base}/talent/", headers={"X-Forwarded-Proto": "https"}, timeout=30)
        assert page.status_code == 200
        css = re.search(
            r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page.text
        )
        assert css, page.text[:2000]
        assert (
            requests.get(
                base + css.group(1), headers={"X-Forwarded-Proto": "https"}, timeout=30
            ).status_code
            == 200
        )
        # without the proxy's HTTPS header a page is redirected to HTTPS
        assert requests.get(f"{base}/talent/", allow_redirects=False, timeout=30).status_code == 301
        # the worker and beat run beside the web process
        output = _tail(log)
        pids = {name: int(pid) for name, pid in re.findall(r"serve: (\w+) is pid (\d+)", output)}
        assert set(pids) == {"web", "worker", "beat"}
        assert not any(_gone(pid) for pid in pids.values())
        # and the worker has come up to take tasks (on a slow machine it is still importing the
        # project when the web answers; a SIGTERM before its handlers are set stops it cold)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not re.search(r"celery@\S+ ready", _tail(log)):
            time.sleep(0.5)
        assert re.search(r"celery@\S+ ready", _tail(log)), _tail(log)
    finally:
        # when Ctrl-C reaches it
        stack.send_signal(signal.SIGINT)
        try:
            code = stack.wait(timeout=60)
        except subprocess.TimeoutExpired:
            stack.kill()
            raise
    # then it stops all three processes and exits cleanly
    output = _tail(log)
    assert code == 0, output
    assert "serve: stopped" in output
    # gracefully: each was asked to stop and did (none had to be killed)
    assert "Shutting down: Master" in output and "Warm shutdown" in output
    assert "killing it" not in output
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in pids.values()):
        time.sleep(0.2)
    assert all(_gone(pid) for pid in pids.values()), output


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-20000:]


@pytest.mark.django_db
def test_healthz_reports_each_check_and_fails_when_one_does(client, settings, tmp_path):
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"
    # given the demo configuration (no Redis), then the node is healthy
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["redis"] == {
        "ok": True,
        "ms": body["checks"]["redis"]["ms"],
        "configured": False,
    }
    assert set(body["checks"]["match_index"]["documents"]) == {
        "achievements",
        "demands",
        "managers",
        "providers",
    }
    # when Redis does not answer, then 503 naming the failing check, without its error text
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] and body["checks"]["match_index"]["ok"]
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()
    # and it answers GET and HEAD only
    assert client.post("/healthz").status_code == 405


@pytest.mark.parametrize(
    ("value", "expected"), [(None, (20000, 10000)), ("0", (0, 0)), ("500", (500, 250))])
def test_worker_recycling_is_set_by_the_environment(monkeypatch, value, expected):
    """GUNICORN_MAX_REQUESTS sets how many requests a worker serves before it is replaced (0:
    never, as bench_load's soak runs it so that a leak cannot hide behind a restart)."""
    import runpy

    if value is None:
        monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    else:
        monkeypatch.setenv("GUNICORN_MAX_REQUESTS", value)
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert (config["max_requests"], config["max_requests_jitter"]) == expected
