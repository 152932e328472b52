"""The personal-data access log (PIPL): who saw whose protected fields, when, and why.

Every view of a person's protected fields is one row: a full ID number revealed, a manager's
contacts opened by someone who oversees them (not the person themself), a row of an export
that carries personal data, a person's download of their own data. The city searches the log
(`/accounts/personal-data/log/`). Rows are written by `log_access` in the reader's request
(the ID reveal: inside the reveal's transaction, as a subscriber of its workflow event).

Anonymising a person replaces their name in the log's `subject_label` too (`relabel`): the log
keeps that the access happened, not who the person was.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmhub.core.actors import actor_name, actor_user
from tmhub.core.operations import current_operation_id


class AccessKind(models.TextChoices):
    ID_REVEAL = "id_reveal", _("Full ID number revealed")
    CONTACTS = "contacts", _("Contacts and private details viewed")
    EXPORT = "export", _("Exported with personal data")
    OWN_DATA = "own_data", _("Own data downloaded")


class PersonalDataAccess(models.Model):
    """One view of one person's protected fields."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("viewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("viewer's name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AccessKind.choices)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(_("record"), max_length=40)
    subject_label = models.CharField(_("person"), max_length=200, db_index=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    operation_id = models.CharField(_("operation"), max_length=40, blank=True, db_index=True)

    class Meta:
        app_label = "core"
        ordering = ["-at", "-pk"]
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data accesses")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name} → {self.subject_label} ({self.kind})"


def log_access(
    *, actor, subjects, kind: str, fields=(), reason: str = "", request=None, label=str
) -> int:
    """Record that `actor` saw `fields` of each record in `subjects` (people: profiles or
    accounts). Returns how many rows were written. `label(subject)` names the person."""
    subjects = [s for s in subjects if s is not None]
    if not subjects:
        return 0
    user = actor_user(actor)
    name = actor_name(actor)
    path = (request.get_full_path() if request is not None else "")[:300]
    operation = current_operation_id() or ""
    types = ContentType.objects.get_for_models(*{s.__class__ for s in subjects})
    rows = [
        PersonalDataAccess(
            actor=user,
            actor_name=name,
            kind=kind,
            subject_type=types[s.__class__],
            subject_id=str(s.pk),
            subject_label=str(label(s))[:200],
            fields=sorted(fields),
            reason=reason or "",
            path=path,
            operation_id=operation,
        )
        for s in subjects
    ]
    PersonalDataAccess.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def relabel(subject, label: str) -> int:
    """Replace the person's name in every log row about `subject` (anonymisation)."""
    return PersonalDataAccess.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject.__class__),
        subject_id=str(subject.pk),
    ).update(subject_label=label)


def accesses_about(*subjects):
    """Log rows about any of these records (a person's profile and account)."""
    condition = models.Q(pk__in=[])
    for subject in subjects:
        if subject is None:
            continue
        condition |= models.Q(
            subject_type=ContentType.objects.get_for_model(subject.__class__),
            subject_id=str(subject.pk),
        )
    return PersonalDataAccess.objects.filter(condition)
