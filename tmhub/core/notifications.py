"""In-app and e-mail notifications, sent only after the surrounding transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from tmhub.core.models import Notification


def notify(recipients, *, subject: str, body: str = "", url: str = "") -> None:
    """Create in-app notifications now and e-mail them on commit (no mail for a rollback)."""
    users = [u for u in {u.pk: u for u in recipients if u is not None}.values()]
    Notification.objects.bulk_create(
        [Notification(recipient=u, subject=subject[:200], body=body, url=url) for u in users]
    )
    addresses = [u.email for u in users if u.email]
    if addresses:
        transaction.on_commit(
            lambda: send_mail(
                subject, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, addresses,
                fail_silently=True,
            )
        )
