"""Every write to achievements: disclosure, inventors, IP, attachments, publication."""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core.access import CHANGE, require_can
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.sequences import next_value
from tmhub.core.workflow import Transition, Workflow
from tmhub.transfer.choices import PATENT_TYPES
from tmhub.transfer.choices import AchievementStatus as S
from tmhub.transfer.choices import TransferEvent as E
from tmhub.transfer.hooks import ACHIEVEMENT_CHANGED, emit_on_commit
from tmhub.transfer.models import Achievement, Attachment, Inventor, IPRecord
from tmhub.transfer.services.common import (
    field_error,
    is_institution_admin,
    is_manager,
    require_act_for,
    require_manager,
)
from tmhub.transfer.validators import normalize_patent_number, validate_patent_number

ACHIEVEMENT_FIELDS = [
    "title",
    "abstract",
    "keywords",
    "discipline",
    "field",
    "trl",
    "disclosed_on",
    "transfer_mode",
    "asking_terms",
    "asking_price_fen",
    "publish_asking_terms",
]
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "png",
    "jpg",
    "jpeg",
    "txt",
    "zip",
}


def _owner_admin(scope, achievement) -> bool:
    return is_institution_admin(scope, achievement.owner_id)


ACHIEVEMENT_WORKFLOW = Workflow(
    [
        Transition(
            S.DRAFT,
            S.PUBLISHED,
            _owner_admin,
            E.ACHIEVEMENT_PUBLISHED,
            label=gettext_lazy("Publish"),
        ),
        Transition(
            S.WITHDRAWN,
            S.PUBLISHED,
            _owner_admin,
            E.ACHIEVEMENT_PUBLISHED,
            label=gettext_lazy("Publish again"),
        ),
        Transition(
            S.PUBLISHED,
            S.WITHDRAWN,
            _owner_admin,
            E.ACHIEVEMENT_WITHDRAWN,
            needs_reason=True,
            label=gettext_lazy("Withdraw"),
        ),
    ]
)


def _locked(achievement) -> Achievement:
    return Achievement.objects.select_for_update().get(pk=achievement.pk)


def _changed(achievement) -> None:
    emit_on_commit(ACHIEVEMENT_CHANGED, achievement.pk)


def validate_inventors(inventors: list[dict]) -> None:
    """Inventor shares are positive and sum to exactly 100%."""
    if not inventors:
        return
    names = [(i.get("name") or "").strip() for i in inventors]
    if any(not n for n in names):
        raise field_error("inventors", _("Every inventor needs a name."), "inventor_name")
    total = sum((Decimal(str(i.get("share") or 0)) for i in inventors), Decimal(0))
    if any(Decimal(str(i.get("share") or 0)) <= 0 for i in inventors) or total != 100:
        raise field_error(
            "inventors",
            _("Inventor shares must be positive and sum to 100%% (now %(total)s%%).")
            % {"total": total},
            "inventor_shares",
        )


def _replace_inventors(achievement, inventors: list[dict]) -> None:
    validate_inventors(inventors)
    achievement.inventors.all().delete()
    Inventor.objects.bulk_create(
        [
            Inventor(
                achievement=achievement,
                name=i["name"].strip(),
                user=i.get("user"),
                affiliation=i.get("affiliation", ""),
                share=Decimal(str(i["share"])),
                position=n,
            )
            for n, i in enumerate(inventors)
        ]
    )


@transaction.atomic
def create_achievement(*, actor, owner, inventors=None, **values) -> Achievement:
    """Record an invention disclosure (confidential draft). A manager who records it is assigned
    to it, so they keep seeing what they disclosed."""
    require_act_for(actor, owner)
    achievement = Achievement(
        owner=owner,
        created_by=actor,
        **{k: v for k, v in values.items() if k in ACHIEVEMENT_FIELDS},
    )
    if achievement.disclosed_on is None:
        achievement.disclosed_on = timezone.localdate()
    achievement.full_clean(exclude=["disclosure_number"])
    achievement.disclosure_number = (
        f"CG-{achievement.disclosed_on.year}-{next_value('transfer-disclosure'):05d}"
    )
    achievement.save()
    if inventors:
        _replace_inventors(achievement, inventors)
    if actor is not None and getattr(actor, "pk", None) and is_manager(actor):
        achievement.managers.add(actor)
    record_change(actor=actor, obj=achievement, action=ObjectChange.Action.CREATE, before=None)
    _changed(achievement)
    return achievement


@transaction.atomic
def update_achievement(achievement, *, actor, inventors=None, **values) -> Achievement:
    """Edit a disclosure; the row is locked so concurrent editors cannot lose an update."""
    require_can(actor, achievement, CHANGE)
    achievement = _locked(achievement)
    before = snapshot(achievement)
    for key, value in values.items():
        if key in ACHIEVEMENT_FIELDS:
            setattr(achievement, key, value)
    achievement.full_clean()
    achievement.save()
    if inventors is not None:
        _replace_inventors(achievement, inventors)
    record_change(actor=actor, obj=achievement, action=ObjectChange.Action.UPDATE, before=before)
    _changed(achievement)
    return achievement


@transaction.atomic
def assign_achievement_manager(achievement, *, actor, user) -> Achievement:
    """Give a technology manager access to a confidential disclosure."""
    require_manager(user)
    achievement = _locked(achievement)
    before = snapshot(achievement)
    achievement.managers.add(user)
    record_change(actor=actor, obj=achievement, action=ObjectChange.Action.UPDATE, before=before)
    notify(
        [user],
        subject=_("You were assigned to the disclosure “%(title)s”") % {"title": achievement.title},
        url=achievement.get_absolute_url(),
    )
    return achievement


def _check_publishable(achievement) -> None:
    errors = {}
    if not achievement.abstract.strip():
        errors["abstract"] = _("An abstract is required before publication.")
    shares = [i.share for i in achievement.inventors.all()]
    if not shares or sum(shares) != 100:
        errors["inventors"] = _("Record the inventors (shares summing to 100%) before publication.")
    if errors:
        raise ValidationError(errors, code="incomplete")


@transaction.atomic
def publish_achievement(achievement, *, actor) -> Achievement:
    """Publish to the marketplace (the owner institution decides)."""
    achievement = _locked(achievement)
    ACHIEVEMENT_WORKFLOW.check(achievement, S.PUBLISHED, actor=actor, reason="")
    _check_publishable(achievement)
    achievement.published_at = timezone.now()
    ACHIEVEMENT_WORKFLOW.apply(achievement, S.PUBLISHED, actor=actor)
    _changed(achievement)
    return achievement


@transaction.atomic
def withdraw_achievement(achievement, *, actor, reason: str) -> Achievement:
    """Take an achievement off the marketplace; it is confidential again."""
    achievement = _locked(achievement)
    ACHIEVEMENT_WORKFLOW.apply(achievement, S.WITHDRAWN, actor=actor, reason=reason)
    _changed(achievement)
    return achievement


@transaction.atomic
def add_ip_record(achievement, *, actor, ip_type, number, **values) -> IPRecord:
    """Add a patent (number validated with its CNIPA check digit) or another IP right."""
    number = normalize_patent_number(number) if ip_type in PATENT_TYPES else number.strip()
    if ip_type in PATENT_TYPES:
        try:
            validate_patent_number(number, ip_type)
        except ValidationError as exc:
            raise ValidationError({"number": exc.error_list}) from exc
    record = IPRecord(achievement=achievement, ip_type=ip_type, number=number, **values)
    if record.granted_on and record.filed_on and record.granted_on < record.filed_on:
        raise field_error("granted_on", _("The grant date is before the filing date."), "dates")
    if IPRecord.objects.filter(achievement=achievement, number=number).exists():
        raise field_error("number", _("This number is already recorded."), "duplicate")
    record.full_clean()
    record.save()
    record_change(actor=actor, obj=record, action=ObjectChange.Action.CREATE, before=None)
    _changed(achievement)
    return record


@transaction.atomic
def remove_ip_record(record, *, actor) -> None:
    before = snapshot(record)
    record_change(actor=actor, obj=record, action=ObjectChange.Action.DELETE, before=before)
    achievement_id = record.achievement_id
    record.delete()
    emit_on_commit(ACHIEVEMENT_CHANGED, achievement_id)


@transaction.atomic
def add_attachment(achievement, *, actor, upload) -> Attachment:
    """Store an uploaded file (size and type limited) under MEDIA_ROOT, outside the web root."""
    name = PurePath(upload.name or "file").name[:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise field_error(
            "file",
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_TYPES))},
            "file_type",
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise field_error("file", _("The file is larger than 20 MB."), "file_size")
    if upload.size == 0:
        raise field_error("file", _("The file is empty."), "file_empty")
    attachment = Attachment(
        achievement=achievement,
        original_name=name,
        size=upload.size,
        content_type=getattr(upload, "content_type", "") or "",
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_change(actor=actor, obj=attachment, action=ObjectChange.Action.CREATE, before=None)
    return attachment


@transaction.atomic
def delete_attachment(attachment, *, actor) -> None:
    record_change(
        actor=actor, obj=attachment, action=ObjectChange.Action.DELETE, before=snapshot(attachment)
    )
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
