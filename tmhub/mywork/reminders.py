"""Reminders of what falls due: at configurable offsets before each due date and on the day
after it passes, once per person, item and offset (a unique row, so a job run twice sends
nothing twice), and a daily or weekly digest.

The offsets are the setting ``MYWORK_REMINDER_OFFSETS`` (days before the due date; default
90, 30 and 7). An item first seen inside several offsets gets only the nearest one's reminder.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_change
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.mywork import notices
from tmhub.mywork.models import ReminderSent, ReminderSettings

DEFAULT_OFFSETS = (90, 30, 7)
OVERDUE = "overdue"
DIGEST_DAYS = 7  # a digest lists what is overdue or due within a week


def offsets() -> tuple[int, ...]:
    return tuple(sorted(getattr(settings, "MYWORK_REMINDER_OFFSETS", DEFAULT_OFFSETS),
                        reverse=True))


def offset_for(item, today) -> str | None:
    """Which reminder ``item`` is due for today: "overdue", "<n>d", or None."""
    left = item.days_left(today)
    if left is None:
        return None
    if left < 0:
        return OVERDUE
    inside = [days for days in offsets() if left <= days]
    return f"{min(inside)}d" if inside else None


def item_key(item) -> str:
    record = item.record
    if record is not None and getattr(record, "pk", None) is not None:
        return f"{item.kind}:{record._meta.label_lower}:{record.pk}"[:200]
    return f"{item.kind}:{item.url}"[:200]


def settings_for(user) -> ReminderSettings:
    found = ReminderSettings.objects.filter(user=user).first()
    return found or ReminderSettings(user=user)


def _claim(user, key, due_on, offset) -> ReminderSent | None:
    """The row that says this reminder is given, or None when it was given already."""
    try:
        with transaction.atomic():
            sent = ReminderSent.objects.create(user=user, item_key=key, due_on=due_on,
                                               offset=offset)
            record_change(actor=SYSTEM, obj=sent, action=ObjectChange.Action.CREATE,
                          before=None)
            return sent
    except IntegrityError:
        return None


def people():
    return get_user_model().objects.filter(is_active=True, memberships__is_active=True
                                           ).distinct().order_by("pk")


def send_reminders(today: datetime.date | None = None) -> int:
    """Give every reminder due today; returns how many were given."""
    today = today or timezone.localdate()
    given = 0
    for user in people():
        muted = set(settings_for(user).muted_kinds or ())
        for item in work_items.items_for(get_scope(user), today=today):
            if item.kind in muted:
                continue
            offset = offset_for(item, today)
            if offset is None:
                continue
            sent = _claim(user, item_key(item), item.due_on, offset)
            if sent is None:
                continue
            subject = (_("Overdue since %(date)s: %(title)s") if offset == OVERDUE
                       else _("Due on %(date)s: %(title)s"))
            notify([user], kind=notices.REMINDER.key, about=sent, url=item.url,
                   subject=subject, params={"date": item.due_on.isoformat(),
                                            "title": str(item.title)})
            given += 1
    return given


def digest_due(choice: str, today: datetime.date) -> bool:
    if choice == ReminderSettings.Digest.DAILY:
        return True
    return choice == ReminderSettings.Digest.WEEKLY and today.weekday() == 0


def send_digests(today: datetime.date | None = None) -> int:
    """One digest per person whose choice falls today, of what is overdue or due within a
    week (none when nothing is); returns how many were sent."""
    today = today or timezone.localdate()
    sent_count = 0
    for user in people():
        choice = settings_for(user).digest
        if not digest_due(choice, today):
            continue
        items = work_items.items_for(get_scope(user), due_within_days=DIGEST_DAYS, today=today)
        if not items:
            continue
        sent = _claim(user, "digest", today, choice)
        if sent is None:
            continue
        overdue = sum(1 for item in items if item.overdue(today))
        lines = "\n".join(f"{item.due_on.isoformat()} {item.title}" for item in items[:50])
        notify([user], kind=notices.DIGEST.key, about=sent, url="/my/",
               subject=_("My work: %(count)s items due within a week, %(overdue)s overdue"),
               params={"count": len(items), "overdue": overdue}, body=lines)
        sent_count += 1
    return sent_count
