"""The oversight module's periodic tasks: reminders of overdue progress reports, and a nightly
comparison of the city dashboard's running totals with the records (their schedule is read by
tmhub/celery.py from BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from celery.schedules import crontab

from tmhub.core.actors import SYSTEM


@shared_task
def send_report_reminders() -> int:
    from tmhub.insights.services import send_overdue_reminders

    return send_overdue_reminders(actor=SYSTEM)


log = logging.getLogger(__name__)


@shared_task
def check_dashboard_totals() -> int:
    """Cells whose running total differs from the records (0 when they agree). A difference
    is logged as an error and left for a person to look at (`manage.py
    rebuild_dashboard_totals` repairs it): a silent repair would hide the write that missed
    its booking."""
    from tmhub.insights import totals

    differences = totals.drift()
    if differences:
        log.error("dashboard totals differ from the records in %d cells, e.g. %s",
                  len(differences), sorted(differences.items())[:5])
    return len(differences)


BEAT_SCHEDULE = {
    "insights-dashboard-totals-check": {
        "task": "tmhub.insights.tasks.check_dashboard_totals",
        "schedule": crontab(hour=3, minute=10),
    },
    "insights-overdue-reports": {
        "task": "tmhub.insights.tasks.send_report_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
}
