"""Every write to achievements: disclosure, inventors, IP, attachments, publication.

Each write records itself (`record_change` / the workflow's `record_event`), which is also
how the matching index hears of a created, edited, published or withdrawn disclosure.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import holds_role
from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.transfer.choices import PATENT_TYPES
from tmhub.transfer.choices import AchievementStatus as S
from tmhub.transfer.models import Achievement, Attachment, Inventor, IPRecord
from tmhub.transfer.services.common import require_manager
from tmhub.transfer.validators import normalize_patent_number, validate_patent_number
from tmhub.transfer.workflows import ACHIEVEMENT_WORKFLOW

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


def _locked(achievement) -> Achievement:
    return Achievement.objects.select_for_update().get(pk=achievement.pk)


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


def _replace_inventors(achievement, inventors: list[dict], *, actor) -> None:
    """Replace the inventors; each row's change is recorded with the achievement."""
    validate_inventors(inventors)
    for old in achievement.inventors.all():
        record_change(
            actor=actor,
            obj=old,
            action=ObjectChange.Action.DELETE,
            before=snapshot(old),
            related=achievement,
        )
    achievement.inventors.all().delete()
    for n, i in enumerate(inventors):
        inventor = Inventor.objects.create(
            achievement=achievement,
            name=i["name"].strip(),
            user=i.get("user"),
            affiliation=i.get("affiliation", ""),
            share=Decimal(str(i["share"])),
            position=n,
        )
        record_change(
            actor=actor,
            obj=inventor,
            action=ObjectChange.Action.CREATE,
            before=None,
            related=achievement,
        )


@transaction.atomic
def create_achievement(*, actor, owner, inventors=None, **values) -> Achievement:
    """Record an invention disclosure (confidential draft). A manager who records it is assigned
    to it, so they keep seeing what they disclosed."""
    achievement = Achievement(
        owner=owner,
        created_by=actor_user(actor),
        **{k: v for k, v in values.items() if k in ACHIEVEMENT_FIELDS},
    )
    if not policies.allows(actor, "create", achievement):
        raise field_error(
            "owner", _("You cannot record work for this institution."), "not_your_institution"
        )
    if achievement.disclosed_on is None:
        achievement.disclosed_on = timezone.localdate()
    achievement.full_clean(exclude=["disclosure_number"])
    achievement.disclosure_number = (
        f"CG-{achievement.disclosed_on.year}-{next_value('transfer-disclosure'):05d}"
    )
    achievement.save()
    if inventors:
        _replace_inventors(achievement, inventors, actor=actor)
    if holds_role(actor, Role.MANAGER):
        achievement.managers.add(actor)
    record_change(actor=actor, obj=achievement, action=ObjectChange.Action.CREATE, before=None)
    return achievement


@transaction.atomic
def update_achievement(achievement, *, actor, inventors=None, **values) -> Achievement:
    """Edit a disclosure; the row is locked so concurrent editors cannot lose an update."""
    policies.require(actor, "change", achievement)
    achievement = _locked(achievement)
    before = snapshot(achievement)
    for key, value in values.items():
        if key in ACHIEVEMENT_FIELDS:
            setattr(achievement, key, value)
    achievement.full_clean()
    achievement.save()
    if inventors is not None:
        _replace_inventors(achievement, inventors, actor=actor)
    record_change(actor=actor, obj=achievement, action=ObjectChange.Action.UPDATE, before=before)
    return achievement


@transaction.atomic
def assign_achievement_manager(achievement, *, actor, user) -> Achievement:
    """Give a technology manager access to a confidential disclosure (the institution's
    decision: `AchievementPolicy.can_assign_manager`)."""
    achievement = _locked(achievement)
    policies.require(actor, "assign_manager", achievement)
    require_manager(user)
    before = snapshot(achievement)
    achievement.managers.add(user)
    record_change(actor=actor, obj=achievement, action=ObjectChange.Action.UPDATE, before=before)
    notify(
        [user], kind="transfer.achievement_assigned", about=achievement,
        subject=gettext_lazy("You were assigned to the disclosure “%(title)s”"),
        params={"title": achievement.title}, url=achievement.get_absolute_url(),
    )
    return achievement


@transaction.atomic
def step_achievement(achievement, target: str, *, actor, reason: str = "") -> Achievement:
    """Take one step of ACHIEVEMENT_WORKFLOW (publish, withdraw, publish again)."""
    achievement = _locked(achievement)
    ACHIEVEMENT_WORKFLOW.transition(achievement, target, actor=actor, reason=reason, locked=True)
    return achievement


def publish_achievement(achievement, *, actor) -> Achievement:
    """Publish to the marketplace (the owner institution decides)."""
    return step_achievement(achievement, S.PUBLISHED, actor=actor)


def withdraw_achievement(achievement, *, actor, reason: str) -> Achievement:
    """Take an achievement off the marketplace; it is confidential again."""
    return step_achievement(achievement, S.WITHDRAWN, actor=actor, reason=reason)


@transaction.atomic
def add_ip_record(achievement, *, actor, ip_type, number, **values) -> IPRecord:
    """Add a patent (number validated with its CNIPA check digit) or another IP right."""
    policies.require(actor, "change", achievement)
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
    record_change(
        actor=actor, obj=record, action=ObjectChange.Action.CREATE, before=None, related=achievement
    )
    return record


@transaction.atomic
def remove_ip_record(record, *, actor) -> None:
    policies.require(actor, "change", record)
    record_change(
        actor=actor,
        obj=record,
        action=ObjectChange.Action.DELETE,
        before=snapshot(record),
        related=record.achievement,
    )
    record.delete()


def check_attachment(upload) -> str:
    """The upload's cleaned name, or a `file` field error (type, size, empty): the one check
    for files attached to transfer records (achievement attachments, project evidence)."""
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
    return name


@transaction.atomic
def add_attachment(achievement, *, actor, upload) -> Attachment:
    """Store an uploaded file (size and type limited) under MEDIA_ROOT, outside the web root."""
    policies.require(actor, "change", achievement)
    name = check_attachment(upload)
    attachment = Attachment(
        achievement=achievement,
        original_name=name,
        size=upload.size,
        content_type=getattr(upload, "content_type", "") or "",
        uploaded_by=actor_user(actor),
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_change(
        actor=actor,
        obj=attachment,
        action=ObjectChange.Action.CREATE,
        before=None,
        related=achievement,
    )
    return attachment


@transaction.atomic
def delete_attachment(attachment, *, actor) -> None:
    policies.require(actor, "change", attachment)
    record_change(
        actor=actor,
        obj=attachment,
        action=ObjectChange.Action.DELETE,
        before=snapshot(attachment),
        related=attachment.achievement,
    )
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(path))
