"""Reminders once per item and offset (the job run twice sends once), opt-out per kind,
digest, and the calendar feed of one person never showing another's items."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tmhub.core.models import Notification
from tmhub.mywork import reminders, services
from tmhub.mywork.models import ReminderSent
from tmhub.mywork.tasks import send_work_digests, send_work_reminders
from tmhub.mywork.tests.test_deadlines import patents_due, schedule  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def reminded(user, kind="mywork.reminder"):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_the_job_run_twice_sends_each_reminder_once(personas, patents_due):  # noqa: F811
    mail.outbox.clear()
    first = send_work_reminders.apply().get()
    notes = reminded(personas.institution_admin)
    # the late fee (overdue) and the fee due in 30 days ("30d")
    assert sorted(ReminderSent.objects.filter(user=personas.institution_admin)
                  .values_list("offset", flat=True)) == ["30d", "overdue"]
    assert notes.count() == 2 and first >= 2
    mails = len(mail.outbox)
    assert send_work_reminders.apply().get() == 0
    assert notes.count() == 2 and len(mail.outbox) == mails
    assert not reminded(personas.outsider).exists()


def test_the_nearest_offset_only_and_overdue_once():
    class Item:
        def __init__(self, days):
            self.due_on = datetime.date(2026, 12, 2) + datetime.timedelta(days=days)

        def days_left(self, today):
            return (self.due_on - today).days

    today = datetime.date(2026, 12, 2)
    assert [reminders.offset_for(Item(d), today) for d in (120, 90, 31, 30, 8, 7, 0, -1)] == [
        None, "90d", "90d", "30d", "30d", "7d", "7d", "overdue"]


def test_a_muted_kind_is_not_reminded(personas, patents_due):  # noqa: F811
    services.set_reminder_settings(personas.institution_admin, actor=personas.institution_admin,
                                   muted_kinds=["transfer.patent_fee"], digest="none")
    reminders.send_reminders()
    assert not reminded(personas.institution_admin).exists()


def test_a_daily_digest_once_a_day(personas, patents_due):  # noqa: F811
    services.set_reminder_settings(personas.institution_admin, actor=personas.institution_admin,
                                   muted_kinds=[], digest="daily")
    assert send_work_digests.apply().get() >= 1
    assert send_work_digests.apply().get() == 0
    [digest] = reminded(personas.institution_admin, "mywork.digest")
    assert "1" in digest.subject


def test_the_calendar_of_one_never_shows_anothers(client, personas, patents_due, schedule):  # noqa: F811
    client.force_login(personas.institution_admin)
    assert client.post(reverse("mywork:calendar-reset")).status_code == 302
    key = personas.institution_admin.reminder_settings.calendar_key
    client.logout()
    feed = client.get(reverse("mywork:calendar", args=[key]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert body.count("BEGIN:VEVENT") >= 3 and "DTSTART;VALUE=DATE:" in body
    other = services.calendar_settings(personas.outsider, actor=personas.outsider)
    theirs = client.get(reverse("mywork:calendar", args=[other.calendar_key])).content.decode()
    assert "BEGIN:VEVENT" not in theirs
    assert client.get(reverse("mywork:calendar", args=["not-a-key"])).status_code == 404
    client.force_login(personas.institution_admin)
    client.post(reverse("mywork:calendar-reset"))
    client.logout()
    assert client.get(reverse("mywork:calendar", args=[key])).status_code == 404


def test_settings_page_saves_choices(client, personas):
    client.force_login(personas.manager)
    assert client.get(reverse("mywork:settings")).status_code == 200
    answer = client.post(reverse("mywork:settings"), {"remind": ["talent.annual_filing"],
                                                      "digest": "weekly"})
    assert answer.status_code == 302
    row = personas.manager.reminder_settings
    assert "talent.annual_filing" not in row.muted_kinds
    assert "transfer.patent_fee" in row.muted_kinds
    assert timezone.localdate()  # the page is dated by today's reminders


@pytest.mark.parametrize("key", ["x\x00y", "\x00", "../x", "密钥"])
def test_a_calendar_address_that_is_not_a_key_is_404(client, key):
    """PostgreSQL refuses a NUL in a query (the crawler found a 500): a key we never issue is
    simply not found."""
    assert client.get(f"/my/calendar/{key}.ics").status_code == 404
