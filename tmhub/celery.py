"""Celery application: tasks run eagerly in-process unless REDIS_URL names a broker.

Periodic tasks are declared next to the tasks themselves, as `BEAT_SCHEDULE` in an app's
`tasks.py`; they are collected here once Django's apps are ready.
"""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tmhub.settings")
app = Celery("tmhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def collect_beat_schedule() -> dict:
    from django.apps import apps

    schedule = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("tmhub."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule = {**collect_beat_schedule(), **(sender.conf.beat_schedule or {})}
