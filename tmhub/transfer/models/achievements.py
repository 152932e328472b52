"""科技成果: invention disclosures, inventors, IP records and attachments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_happened_date, validate_planned_date
from tmhub.core.workflow import WorkflowModel
from tmhub.transfer.choices import AchievementStatus, IPStatus, IPType, TransferMode


class Achievement(WorkflowModel, TimeStampedModel):
    """A research result from disclosure to the marketplace.

    Until published it is confidential: only the owner institution's administrators, its
    assigned managers (directly or through a project) and municipal administrators see it
    (`tmhub.transfer.policies.AchievementPolicy`). Its status moves only through
    `tmhub.transfer.workflows.ACHIEVEMENT_WORKFLOW`.
    """

    WORKFLOW_FIELDS = ("status",)
    AUDIT_EXCLUDE = ("search_text",)

    title = models.CharField(_("title"), max_length=200)
    abstract = LimitedTextField(_("abstract"), max_length=5000)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Separated by commas."))
    discipline = models.ForeignKey(
        "core.Discipline", verbose_name=_("discipline"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    field = models.ForeignKey(
        "core.IndustryField", verbose_name=_("industry field"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 (basic principles observed) to 9 (proven in operation)."),
    )
    owner = models.ForeignKey(
        "orgs.Organization", verbose_name=_("owner institution"), on_delete=models.PROTECT,
        related_name="achievements",
    )
    disclosure_number = models.CharField(_("disclosure number"), max_length=30, unique=True,
                                         null=True, blank=True)
    disclosed_on = models.DateField(_("disclosure date"), null=True, blank=True,
                                    validators=[validate_happened_date])
    transfer_mode = models.CharField(_("desired transfer mode"), max_length=20,
                                     choices=TransferMode.choices, default=TransferMode.LICENCE)
    asking_terms = LimitedTextField(_("asking terms"), max_length=2000, blank=True)
    asking_price_fen = models.BigIntegerField(_("asking price (fen)"), null=True, blank=True,
                                              validators=[MinValueValidator(0)])
    publish_asking_terms = models.BooleanField(_("show asking terms publicly"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=AchievementStatus.choices,
                              default=AchievementStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned managers"), blank=True,
        related_name="assigned_achievements",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Maintained by tmhub.transfer.search (a subscription on every change of the text fields or
    # the owner's name): the list pages and the API search it token by token, GIN-indexed on
    # PostgreSQL, instead of a substring scan of every abstract.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        # The newest published first (the transfer home, the public lists): without it the
        # database sorts every published row to show six.
        indexes = [
            models.Index(fields=["status", "-published_at"], name="transfer_achievement_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        return reverse("transfer:achievement-detail", args=[self.pk])

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]

    @property
    def is_published(self) -> bool:
        return self.status == AchievementStatus.PUBLISHED


class Inventor(models.Model):
    """A named inventor with a contribution share; an achievement's shares sum to 100%."""

    achievement = models.ForeignKey(Achievement, verbose_name=_("achievement"),
                                    on_delete=models.CASCADE, related_name="inventors")
    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("platform user"),
                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    share = models.DecimalField(_("contribution share (%)"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("inventor")
        verbose_name_plural = _("inventors")

    def __str__(self) -> str:
        return f"{self.name} ({self.share}%)"


class IPRecord(models.Model):
    """A patent, application or other IP right protecting the achievement."""

    achievement = models.ForeignKey(Achievement, verbose_name=_("achievement"),
                                    on_delete=models.CASCADE, related_name="ip_records")
    ip_type = models.CharField(_("IP type"), max_length=20, choices=IPType.choices)
    number = models.CharField(_("application or registration number"), max_length=40)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=IPStatus.choices,
                              default=IPStatus.FILED)
    filed_on = models.DateField(_("filing date"), null=True, blank=True,
                                validators=[validate_happened_date])
    granted_on = models.DateField(_("grant date"), null=True, blank=True,
                                  validators=[validate_happened_date])
    expires_on = models.DateField(_("expiry date"), null=True, blank=True,
                                  validators=[validate_planned_date])

    class Meta:
        ordering = ["filed_on", "id"]
        verbose_name = _("IP record")
        verbose_name_plural = _("IP records")
        constraints = [models.UniqueConstraint(fields=["achievement", "number"],
                                               name="transfer_ip_unique_number")]

    def __str__(self) -> str:
        return f"{self.get_ip_type_display()} {self.number}"


def attachment_path(instance, filename):
    # Random names under MEDIA_ROOT (outside the web root); the original name is kept in the row.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"transfer/achievements/{instance.achievement_id}/{uuid.uuid4().hex}.{suffix}"


class Attachment(models.Model):
    """A file attached to a disclosure; served only through an access-checking view."""

    achievement = models.ForeignKey(Achievement, verbose_name=_("achievement"),
                                    on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
