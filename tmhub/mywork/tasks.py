"""My work's periodic tasks: reminders each morning, digests after them."""

from celery import shared_task
from celery.schedules import crontab


@shared_task
def send_work_reminders() -> int:
    from tmhub.mywork.reminders import send_reminders

    return send_reminders()


@shared_task
def send_work_digests() -> int:
    from tmhub.mywork.reminders import send_digests

    return send_digests()


BEAT_SCHEDULE = {
    "mywork-reminders": {
        "task": "tmhub.mywork.tasks.send_work_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "mywork-digests": {
        "task": "tmhub.mywork.tasks.send_work_digests",
        "schedule": crontab(hour=7, minute=45),
    },
}
