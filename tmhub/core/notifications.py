"""In-app and e-mail notifications: one per event per person, in the person's language.

A call site names the notification's kind (one of KINDS: what it is about, which module), the
record it is about and the message as a translatable template with its parameters:

    notify(admins, kind="talent.registration_to_endorse", about=registration,
           subject=gettext_lazy("Technology-manager registration to endorse: %(name)s"),
           params={"name": profile.full_name}, url=registration.get_absolute_url())

The template (a lazy string) is rendered in every UI language, so the list shows it in the
language the reader uses and the e-mail goes out in the recipient's preferred language
(`User.language`); a plain str is data (a reviewer's opinion) and is kept as typed, never
formatted. Labels passed as parameters (a status's TextChoices label) are translated too.

The event is the operation (the request or job, tmhub.core.operations) and the record: a person
gets at most one notification of a kind per event, held by a unique constraint; a second
announcement of the same event within the operation (a bulk step that moves a record twice)
updates that notification to the latest message instead of adding one. Mail is queued only
after the transaction commits, one message per person (never a shared To: line), and not for
the kinds the person turned off on their preferences page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tmhub.core.models import Notification
from tmhub.core.operations import current_operation_id, new_operation_id


@dataclass(frozen=True)
class Kind:
    """One kind of notification: its key ("<module>.<what>") and what people call it."""

    key: str
    label: Promise

    @property
    def module(self) -> str:
        return self.key.partition(".")[0]


# The modules notifications come from (the list's module filter, the preferences' groups).
MODULES = {
    "core": _("Platform"),
    "orgs": _("Organisations"),
    "talent": _("Technology managers"),
    "training": _("Training"),
    "transfer": _("Transfer"),
    "matching": _("Matching"),
    "network": _("Resource network"),
    "pilots": _("Funded-project pilots"),
    "districts": _("Districts"),
    "evaluation": _("Evaluation"),
    "insights": _("Oversight"),
    "mywork": _("My work"),
}

KINDS: dict[str, Kind] = {}


def register_kind(key: str, label) -> Kind:
    """Declare a kind (a new module adds its own here, at import time)."""
    if key.partition(".")[0] not in MODULES or not key.partition(".")[2]:
        raise ValueError(f"notification kind {key!r} must be '<module>.<what>'")
    kind = KINDS.setdefault(key, Kind(key, label))
    return kind


for _key, _label in (
    ("core.message", _("Other messages")),
    ("core.import_refused", _("Imports refused for rows held elsewhere")),
    ("orgs.registration_submitted", _("Institution registrations to review")),
    ("orgs.registration_decided", _("Decisions on your institution's registration")),
    ("orgs.identity_change_requested", _("Identity change requests to review")),
    ("orgs.identity_change_decided", _("Decisions on your identity change requests")),
    ("talent.registration_to_endorse", _("Manager registrations to endorse")),
    ("talent.registration_to_review", _("Endorsed manager registrations to review")),
    ("talent.registration_status", _("Status of a manager registration")),
    ("talent.filing_overdue", _("Overdue annual filings")),
    ("training.enrolment_request", _("Enrolment requests for your cohorts")),
    ("training.enrolment_status", _("Your enrolments")),
    ("training.certificate", _("Your training certificates")),
    ("training.revocation", _("Certificate revocations")),
    ("training.mentor", _("Mentors assigned to you")),
    ("transfer.achievement_assigned", _("Disclosures assigned to you")),
    ("transfer.project_assigned", _("Projects assigned to you")),
    ("transfer.project_stage", _("Stage changes of your projects")),
    ("transfer.reward_split", _("Reward statements")),
    ("matching.introduction", _("Requests for an introduction from a match")),
):
    register_kind(_key, _label)


def kind_label(key: str) -> str:
    kind = KINDS.get(key)
    return str(kind.label) if kind else str(KINDS["core.message"].label)


def user_language(user) -> str:
    """The language a person reads notifications and e-mails in (the platform's by default)."""
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def choice_label(obj, field_name: str):
    """The (lazy, so translated per recipient) label of a choice field's value; Django's
    get_FOO_display() would fix it in the actor's language."""
    value = getattr(obj, field_name)
    return dict(obj._meta.get_field(field_name).flatchoices).get(value, value)


def _render(text, params: dict) -> str:
    """A lazy template is translated (in the active language) and filled in; a str is data."""
    if isinstance(text, Promise):
        values = {
            name: str(value) if isinstance(value, Promise) else value
            for name, value in params.items()
        }
        return str(text) % values if params else str(text)
    return str(text or "")


def render_texts(subject, body, params: dict) -> dict[str, dict[str, str]]:
    """The message in every UI language: {language: {"subject": ..., "body": ...}}."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = {"subject": _render(subject, params)[:200], "body": _render(body, params)}
    return texts


def event_key(about=None, url: str = "") -> str:
    """The operation and the record: what "the same event" means for the unique constraint.
    Outside every operation (a shell, a test calling a service) each call is its own event."""
    operation = current_operation_id() or new_operation_id()
    if about is not None and getattr(about, "pk", None) is not None:
        record = f"{about._meta.label_lower}:{about.pk}"
    else:
        record = url or "-"
    return f"{operation}:{record}"[:160]


def notify(
    recipients,
    *,
    subject,
    body="",
    url: str = "",
    params: dict | None = None,
    kind: str = "core.message",
    about=None,
) -> list[Notification]:
    """Tell each person once (per kind and event) in their language; e-mail them on commit
    (no mail for a rollback, none for a kind they turned off)."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    users = list({u.pk: u for u in recipients if u is not None}.values())
    if not users:
        return []
    texts = render_texts(subject, body, params or {})
    key = event_key(about, url)
    existing = {
        n.recipient_id: n
        for n in Notification.objects.filter(
            recipient__in=[u.pk for u in users], kind=kind, event_key=key
        )
    }
    fresh, updated = [], []
    for user in users:
        mine = texts[user_language(user)]
        note = existing.get(user.pk) or Notification(recipient=user, kind=kind, event_key=key)
        note.subject, note.body, note.texts, note.url = mine["subject"], mine["body"], texts, url
        (updated if note.pk else fresh).append(note)
    if updated:
        # The same event announced again in this operation: the latest message stands.
        Notification.objects.bulk_update(updated, ["subject", "body", "texts", "url"])
    created = Notification.objects.bulk_create(fresh)
    mailed = [
        n.pk
        for n in created
        if n.recipient.email and kind not in (n.recipient.email_muted_kinds or ())
    ]
    if mailed:
        # Read at commit, so a notification updated later in the transaction is sent as it
        # finally reads, once.
        transaction.on_commit(lambda: _send_mail(mailed))
    return [*updated, *created]


def _send_mail(ids: list[int]) -> None:
    from tmhub.core.tasks import deliver_email

    for note in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        text = f"{note.body}\n\n{note.url}".strip()
        deliver_email.delay(note.subject, text, [note.recipient.email])


def mark_read(user, *, ids=None, kind: str = "", module: str = "") -> int:
    """Mark the person's unread notifications read (all, some ids, one kind or module)."""
    from django.utils import timezone

    unread = filter_notifications(
        user.notifications.filter(read_at__isnull=True), kind=kind, module=module
    )
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def filter_notifications(queryset, *, unread: bool = False, kind: str = "", module: str = ""):
    """The list's filters; unknown values are ignored (the whole list, not an error)."""
    if unread:
        queryset = queryset.filter(read_at__isnull=True)
    if kind in KINDS:
        queryset = queryset.filter(kind=kind)
    elif module in MODULES:
        queryset = queryset.filter(kind__startswith=f"{module}.")
    return queryset


def kinds_by_module() -> list[tuple[str, str, list[Kind]]]:
    """(module, label, kinds) in MODULES' order, for the preferences page and the filters."""
    groups = []
    for module, label in MODULES.items():
        kinds = [k for k in KINDS.values() if k.module == module]
        if kinds:
            groups.append((module, str(label), kinds))
    return groups


@transaction.atomic
def set_preferences(user, *, actor, language: str, email_kinds) -> None:
    """Save a person's language and which kinds reach them by e-mail (audited on the user)."""
    from tmhub.accounts.models import User
    from tmhub.core.audit import record_change, snapshot
    from tmhub.core.models import ObjectChange

    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user)
    user.language = language if language in dict(settings.LANGUAGES) else ""
    wanted = set(email_kinds)
    user.email_muted_kinds = sorted(key for key in KINDS if key not in wanted)
    if snapshot(user) == before:
        return
    user.save(update_fields=["language", "email_muted_kinds"])
    record_change(actor=actor, obj=user, action=ObjectChange.Action.UPDATE, before=before)


@transaction.atomic
def set_language(user, *, actor, language: str) -> None:
    """The language switch of a signed-in person: saved as their preferred language."""
    from tmhub.accounts.models import User
    from tmhub.core.audit import record_change, snapshot
    from tmhub.core.models import ObjectChange

    if language not in dict(settings.LANGUAGES):
        return
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.language == language:
        return
    before = snapshot(user)
    user.language = language
    user.save(update_fields=["language"])
    record_change(actor=actor, obj=user, action=ObjectChange.Action.UPDATE, before=before)
