"""Notification e-mail goes through a real Celery worker over the real Redis broker."""

import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail

from tmhub.celery import app
from tmhub.core.notifications import notify

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_worker():
    redis.Redis.from_url(REDIS_URL).ping()  # fails loudly if the service is down
    previous = dict(app.conf)
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    app.conf.update(broker_url=previous["broker_url"],
                    task_always_eager=previous["task_always_eager"])


@pytest.mark.django_db(transaction=True)
def test_notification_mail_is_delivered_by_a_worker(redis_worker):
    from tmhub.core.tasks import deliver_email

    deliver_email.delay("测试主题", "正文", ["someone@example.cn"])
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)  # the worker thread consumes the message from Redis
    assert [m.subject for m in mail.outbox] == ["测试主题"]


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
