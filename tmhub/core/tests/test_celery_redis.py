"""Background work over the real Redis broker: a real `celery worker` process delivers the
notification e-mail; without a broker the same task runs eagerly at commit."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core import mail

from tmhub.celery import app
from tmhub.core.notifications import notify

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[3]


def _forget_connections():
    """Earlier tests left producers bound to the in-memory broker; make the next send reconnect
    with the broker configured now (Celery caches the producer pool on app.amqp)."""
    app.close()
    app.amqp._producer_pool = None


@pytest.fixture
def redis_worker(tmp_path):
    """A `celery -A tmhub worker` subprocess on Redis, writing mail to files in tmp_path."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # fails loudly if the service is down
    client.flushdb()
    outbox = tmp_path / "mail"
    env = {**os.environ, "REDIS_URL": REDIS_URL, "SECRET_KEY": "worker-test-" + "k" * 40,
           "DEBUG": "0", "SECURE_HTTPS": "0", "DATABASE_URL": f"sqlite:///{tmp_path}/w.db",
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(outbox), "DJANGO_SETTINGS_MODULE": "tmhub.settings"}
    env.pop("CELERY_LOG_LEVEL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tmhub", "worker", "--pool=solo",
         "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
         "-Q", "celery", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    _forget_connections()
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    try:
        yield outbox
    finally:
        _forget_connections()
        app.conf.update(broker_url=previous[0], task_always_eager=previous[1])
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output.decode(errors="replace")[-3000:])  # shown by pytest when the test fails


def test_notification_mail_is_delivered_by_a_worker_process(redis_worker):
    from tmhub.core.tasks import deliver_email

    deliver_email.delay("测试主题", "正文", ["someone@example.cn"])
    deadline = time.monotonic() + 60
    text = ""
    while time.monotonic() < deadline:
        files = list(redis_worker.glob("*.log")) if redis_worker.exists() else []
        # The file appears before the backend has written (and closed) the message.
        text = files[0].read_text(encoding="utf-8") if files else ""
        if "Subject:" in text:
            break
        time.sleep(0.2)
    assert text, "the worker did not deliver the message within 60 s"
    assert "someone@example.cn" in text and "Subject:" in text


@pytest.mark.django_db(transaction=True)
def test_notify_queues_mail_only_after_commit(personas):
    # Eager mode (no broker): mail is sent at commit, never for a rolled-back transaction.
    from django.db import transaction

    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([personas.manager], subject="不应发送")
        raise RuntimeError("rollback")
    assert mail.outbox == []
    with transaction.atomic():
        notify([personas.manager], subject="应发送", url="/x/")
    assert [m.subject for m in mail.outbox] == ["应发送"]


def test_periodic_tasks_declared_by_apps_are_scheduled():
    from tmhub.celery import collect_beat_schedule

    schedule = collect_beat_schedule()
    assert schedule["talent-enforce-annual-filing"]["task"] == "talent.enforce_annual_filing"
    app.loader.import_default_modules()
    assert "talent.enforce_annual_filing" in app.tasks
