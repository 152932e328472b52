"""Supporting documents of a registration (入库证明材料): degree, proof of employment,
certificates.

The applicant attaches them while the application is theirs to change (a draft or returned;
`ManagerRegistrationPolicy.can_attach`), and with the one-step application itself. They are
read by the applicant, their employer's institution administrators and the city only
(`RegistrationDocumentPolicy`): never by district or department officers who oversee the
registration, never by the public. Files live under MEDIA_ROOT (outside the web root, random
names) through Django's storage and are served only by the policy-checked download view;
adding, removing and downloading are audited.

This module holds the model (imported by `models.py`) and its services; it imports only the
platform core at load time, so the models module can import it.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import RestrictedQuerySet
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange

# Limits of one uploaded document (a scan or an e-certificate is well below it).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS_PER_REGISTRATION = 20
# Accepted types and the first bytes each must start with (a renamed file is refused).
# OFD (GB/T 33190) is the format of Chinese electronic certificates; it is a zip container.
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "ofd": (b"PK\x03\x04",),
}


class DocumentKind(models.TextChoices):
    DEGREE = "degree", gettext_lazy("Degree or diploma")
    EMPLOYMENT = "employment", gettext_lazy("Proof of employment")
    CERTIFICATE = "certificate", gettext_lazy("Certificate")
    OTHER = "other", gettext_lazy("Other document")


class DocumentEvent(models.TextChoices):
    DOWNLOADED = (
        "talent.registration.document_downloaded",
        gettext_lazy("Supporting document downloaded"),
    )


def document_path(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"talent/registrations/{instance.registration_id}/{uuid.uuid4().hex}.{suffix}"


class RegistrationDocument(models.Model):
    """One supporting document of a registration; served only through the download view."""

    registration = models.ForeignKey(
        "talent.ManagerRegistration",
        verbose_name=gettext_lazy("manager registration"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(
        gettext_lazy("kind of document"), max_length=12, choices=DocumentKind.choices
    )
    file = models.FileField(gettext_lazy("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(gettext_lazy("file name"), max_length=200)
    size = models.PositiveBigIntegerField(gettext_lazy("size (bytes)"))
    content_type = models.CharField(gettext_lazy("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        app_label = "talent"
        ordering = ["kind", "uploaded_at", "id"]
        verbose_name = gettext_lazy("supporting document")
        verbose_name_plural = gettext_lazy("supporting documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    def get_absolute_url(self):
        return reverse("talent:registration-document", args=[self.pk])


# ---------------------------------------------------------------- checks
def check_upload(upload, *, field: str = "file") -> str:
    """The file's cleaned name, or a field error with a code (type, size, content)."""
    name = PurePath(upload.name or "file").name[:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    signatures = DOCUMENT_SIGNATURES.get(suffix)
    if signatures is None:
        raise field_error(
            field,
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(DOCUMENT_SIGNATURES))},
            "file_type",
        )
    if upload.size == 0:
        raise field_error(field, _("The file is empty."), "file_empty")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise field_error(
            field,
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_DOCUMENT_BYTES // (1024 * 1024)},
            "file_size",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(signatures):
        raise field_error(
            field,
            _("The file's content does not match its type (.%(suffix)s).") % {"suffix": suffix},
            "file_content",
        )
    return name


def _check_kind(kind: str, field: str) -> None:
    if kind not in DocumentKind.values:
        raise field_error(field, _("Choose the kind of document."), "invalid_choice")


# ---------------------------------------------------------------- services
@transaction.atomic
def add_document(registration, *, actor, kind: str, upload, field: str = "file"):
    """Attach one document to `registration` (the applicant, while it is theirs to change)."""
    from tmhub.talent.models import ManagerRegistration

    registration = (
        ManagerRegistration.objects.select_for_update(of=("self",))
        .select_related("profile")
        .get(pk=registration.pk)
    )
    policies.require(actor, "attach", registration)
    _check_kind(kind, "kind")
    name = check_upload(upload, field=field)
    if registration.documents.count() >= MAX_DOCUMENTS_PER_REGISTRATION:
        raise field_error(
            field,
            _("A registration holds at most %(count)s documents.")
            % {"count": MAX_DOCUMENTS_PER_REGISTRATION},
            "too_many_documents",
        )
    document = RegistrationDocument(
        registration=registration,
        kind=kind,
        original_name=name,
        size=upload.size,
        content_type=(getattr(upload, "content_type", "") or "")[:100],
        uploaded_by=actor_user(actor),
    )
    document.file.save(name, upload, save=False)
    document.save()
    record_change(
        actor=actor,
        obj=document,
        action=ObjectChange.Action.CREATE,
        before=None,
        related=registration,
    )
    return document


@transaction.atomic
def remove_document(document, *, actor) -> None:
    """Remove a document the applicant attached, while the application is theirs to change."""
    document = (
        RegistrationDocument.objects.select_for_update()
        .select_related("registration__profile")
        .get(pk=document.pk)
    )
    policies.require(actor, "remove", document)
    record_change(
        actor=actor,
        obj=document,
        action=ObjectChange.Action.DELETE,
        before=snapshot(document),
        related=document.registration,
    )
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def record_download(document, *, actor) -> None:
    """Audit who read a supporting document (personal data), then let them have it."""
    policies.require(actor, "view", document)
    record_event(
        actor=actor,
        obj=document,
        event_type=DocumentEvent.DOWNLOADED,
        data={"kind": document.kind, "name": document.original_name},
        related=document.registration,
    )


def documents_for(registration, user):
    """The documents of `registration` that `user` may read (none for other overseers)."""
    return RegistrationDocument.objects.restrict(user).filter(registration=registration)


def document_uploads(files) -> list[tuple[str, str, object]]:
    """(kind, form field name, upload) for the typed file inputs of an application form:
    one input per kind, named `document_<kind>`, each may hold several files."""
    uploads = []
    for kind in DocumentKind.values:
        name = f"document_{kind}"
        for upload in files.getlist(name) if hasattr(files, "getlist") else files.get(name, []):
            uploads.append((kind, name, upload))
    return uploads


def validate_document_list(documents) -> None:
    """Check (kind, field, upload) triples before anything is stored; all errors at once."""
    errors = {}
    if len(documents) > MAX_DOCUMENTS_PER_REGISTRATION:
        errors.setdefault("documents", []).append(
            ValidationError(
                _("A registration holds at most %(count)s documents.")
                % {"count": MAX_DOCUMENTS_PER_REGISTRATION},
                code="too_many_documents",
            )
        )
    for kind, field, upload in documents:
        try:
            _check_kind(kind, field)
            check_upload(upload, field=field)
        except ValidationError as exc:
            for key, items in exc.error_dict.items():
                errors.setdefault(key, []).extend(items)
    if errors:
        raise ValidationError(errors)
