"""Shared models: taxonomies, audit trail, notifications, import history, sequences."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.rules import EffectivePeriod


class TimeStampedModel(models.Model):
    """Abstract base: creation and last-change times."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class BilingualNameMixin(models.Model):
    """Abstract base for records named in Chinese and English; `name` follows the UI language."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class District(BilingualNameMixin):
    """One of Beijing's 16 districts or the Beijing Economic-Technological Development Area."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class IndustryField(BilingualNameMixin):
    """Industry-field taxonomy (Beijing's high-end industries); configurable by administrators."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    is_priority = models.BooleanField(_("priority field"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industry field")
        verbose_name_plural = _("industry fields")


class Discipline(BilingualNameMixin):
    """NSFC discipline code (A01, A0101, …) with its parent."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), default=1)

    class Meta:
        ordering = ["code"]
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AuditRow(models.Model):
    """Abstract base of both audit layers: when, who (kept by name after the account goes),
    which request or job (`operation_id`, shared by every row it wrote) and, optionally, the
    record the row belongs with (the split whose shares an approval froze, say), so a record's
    history shows the rows of one step together."""

    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    operation_id = models.CharField(_("request or job"), max_length=40, blank=True,
                                    db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)
    related_content_type = models.ForeignKey(
        ContentType, verbose_name=_("related record type"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    related_object_id = models.CharField(_("related record id"), max_length=64, blank=True)

    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


class ObjectChange(AuditRow):
    """Before/after record of one change to one record, written by the service that made it."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_repr = models.CharField(_("record"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["related_content_type", "related_object_id"],
                         name="core_change_related"),
        ]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class WorkflowEvent(AuditRow):
    """A typed workflow event (a transition, a reveal, an issuance): who, when, from, to, why."""

    event_type = models.CharField(_("event type"), max_length=60, db_index=True)
    from_state = models.CharField(_("from state"), max_length=40, blank=True)
    to_state = models.CharField(_("to state"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["related_content_type", "related_object_id"],
                         name="core_event_related"),
        ]
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")

    def __str__(self) -> str:
        return f"{self.event_type}: {self.from_state} → {self.to_state}"


class Notification(models.Model):
    """A message to one person about one event; also e-mailed unless they turned its kind off.

    `kind` names what it is about (tmhub.core.notifications.KINDS: its label, its module);
    `event_key` the event — the operation (request or job) and the record — so a person gets
    one notification of a kind per event, which the unique constraint holds even when two
    call sites (or a retried job) announce the same step. `texts` keeps the message rendered
    in every UI language ({"zh-hans": {"subject", "body"}, "en": ...}), so it reads in the
    language the person uses when they open it; `subject`/`body` hold it in the recipient's
    preferred language (the e-mail's) and are all that older rows have."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    event_key = models.CharField(_("event"), max_length=160)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    texts = models.JSONField(_("texts per language"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "event_key"],
                                    name="notification_once_per_event"),
        ]
        indexes = [
            # The bell's unread count and the list's filters, per person.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "kind"], name="notification_kind"),
        ]

    def __str__(self) -> str:
        return self.subject

    def _text(self, part: str) -> str:
        rendered = (self.texts or {}).get(get_language() or "") or {}
        return rendered.get(part, getattr(self, part))

    @property
    def subject_text(self) -> str:
        """The subject in the current UI language (the stored one for older rows)."""
        return self._text("subject")

    @property
    def body_text(self) -> str:
        return self._text("body")


class Sequence(models.Model):
    """A named counter for registry and certificate numbers: numbers are never reused."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    value = models.PositiveBigIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class ImportJob(models.Model):
    """One uploaded import file: its dry-run report and whether it was committed."""

    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        VALIDATED = "validated", _("Validated, not committed")
        COMMITTED = "committed", _("Committed")

    kind = models.CharField(_("import kind"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    created_rows = models.PositiveIntegerField(_("records created"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    # What the import page offers, asked of the job rather than compared as status strings in
    # templates (the status is written only by tmhub.core.tabular.importing).
    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.VALIDATED

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED

    @property
    def needs_new_file(self) -> bool:
        return self.status == self.Status.INVALID


class FourEyesRule(EffectivePeriod):
    """Four-eyes approval as data: who prepared a record may not take one step of its workflow.

    `step` names the step as the workflow declares it (`FourEyes.step` on a Transition, e.g.
    "transfer.split.approve"); the row in force on the day of the step decides whether a second
    person must take it (a later row with `second_person_required` cleared lifts the rule from
    its date). Seeded by a migration with its legal basis; edited by administrators.
    """

    step = models.CharField(_("workflow step"), max_length=80, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    second_person_required = models.BooleanField(
        _("a second person must take this step"), default=True,
        help_text=_("Who drafted or submitted the record may not take this step."),
    )

    class Meta:
        ordering = ["step", "-effective_from"]
        verbose_name = _("four-eyes rule")
        verbose_name_plural = _("four-eyes rules")

    def __str__(self) -> str:
        return self.name


# The personal-data access log lives beside its helpers (tmhub/core/personal_data.py).
from tmhub.core.personal_data import PersonalDataAccess  # noqa: E402, F401
