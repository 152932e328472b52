"""The pilots' periodic task: reminders of KPIs and stage reports coming due."""

from celery import shared_task
from celery.schedules import crontab

from tmhub.core.actors import SYSTEM


@shared_task
def send_pilot_reminders() -> int:
    from tmhub.pilots.services import send_due_reminders

    return send_due_reminders(actor=SYSTEM)


BEAT_SCHEDULE = {
    "pilots-due-reminders": {
        "task": "tmhub.pilots.tasks.send_pilot_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
