"""A person's due dates as an iCalendar feed (RFC 5545), one all-day event per dated item."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from tmhub.mywork.reminders import item_key


def _text(value) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a leading space (§3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def feed(items, *, base_url: str, name: str) -> str:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    host = getattr(settings, "ALLOWED_HOSTS", ["tmhub"])[0].strip(".*") or "tmhub"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//TM Hub//My work//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(name)}"]
    for item in items:
        if item.due_on is None:
            continue
        uid = f"{item_key(item)}:{item.due_on.isoformat()}".replace(" ", "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_text(uid)}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due_on.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(item.due_on + datetime.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_text(item.title)}",
            f"DESCRIPTION:{_text(item.detail or item.kind_label)}",
            f"URL:{base_url}{item.url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
