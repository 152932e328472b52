"""Scheduled work of the talent pool (Celery; eager in-process when no broker is configured).

Beat entries (wired in settings.CELERY_BEAT_SCHEDULE):
  "talent-enforce-annual-filing": daily, task "talent.enforce_annual_filing"
  "talent-open-annual-filings":   1 January, task "talent.open_annual_filings"
"""

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

BEAT_SCHEDULE = {
    "talent-enforce-annual-filing": {
        "task": "talent.enforce_annual_filing",
        "schedule": crontab(hour=2, minute=30),
    },
    "talent-open-annual-filings": {
        "task": "talent.open_annual_filings",
        "schedule": crontab(hour=1, minute=0, day_of_month=1, month_of_year=1),
    },
}


@shared_task(name="talent.enforce_annual_filing")
def enforce_annual_filing() -> dict:
    """Flag overdue filings and suspend registrations past the grace period."""
    from tmhub.talent.filing import enforce_filing_deadlines

    return enforce_filing_deadlines()


@shared_task(name="talent.open_annual_filings")
def open_annual_filings(year: int | None = None) -> int:
    """Open last year's filings (run on 1 January)."""
    from tmhub.core.actors import SYSTEM
    from tmhub.talent.filing import open_filings

    return open_filings(year or timezone.localdate().year - 1, actor=SYSTEM)
