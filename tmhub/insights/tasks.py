"""The oversight module's periodic task: reminders of overdue progress reports (its schedule
is read by tmhub/celery.py from BEAT_SCHEDULE)."""

from celery import shared_task
from celery.schedules import crontab

from tmhub.core.actors import SYSTEM


@shared_task
def send_report_reminders() -> int:
    from tmhub.insights.services import send_overdue_reminders

    return send_overdue_reminders(actor=SYSTEM)


BEAT_SCHEDULE = {
    "insights-overdue-reports": {
        "task": "tmhub.insights.tasks.send_report_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
}
