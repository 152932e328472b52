"""Background tasks of the core: e-mail delivery, so a slow mail server never blocks a request."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_email(subject: str, body: str, addresses: list[str]) -> int:
    """Send one notification e-mail; retried with back-off when the mail server is down."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
