"""In-app and e-mail notifications; mail is queued only after the transaction commits."""

from __future__ import annotations

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
        from tmhub.core.tasks import deliver_email

        text = f"{body}\n\n{url}".strip()
        transaction.on_commit(lambda: deliver_email.delay(str(subject), text, addresses))
