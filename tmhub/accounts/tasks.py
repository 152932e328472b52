"""Scheduled work of accounts (Celery; eager in-process when no broker is configured).

Beat entries:
  "accounts-delete-expired-tokens": daily, task "accounts.delete_expired_tokens"
"""

from celery import shared_task
from celery.schedules import crontab

BEAT_SCHEDULE = {
    "accounts-delete-expired-tokens": {
        "task": "accounts.delete_expired_tokens",
        "schedule": crontab(hour=3, minute=15),
    },
}


@shared_task(name="accounts.delete_expired_tokens")
def delete_expired_tokens() -> int:
    """Expired API tokens no longer work; this removes their rows."""
    from tmhub.accounts.tokens import delete_expired_tokens as delete

    return delete()
