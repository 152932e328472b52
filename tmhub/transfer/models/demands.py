"""技术需求: problems enterprises want solved."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField, PhoneField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_planned_date
from tmhub.core.workflow import WorkflowModel
from tmhub.transfer.choices import DemandStatus


class Demand(WorkflowModel, TimeStampedModel):
    """A technology demand of an enterprise; public once published, contact never public.

    Who sees it and its contact: `tmhub.transfer.policies.DemandPolicy`; its status moves only
    through `tmhub.transfer.workflows.DEMAND_WORKFLOW`.
    """

    WORKFLOW_FIELDS = ("status",)
    AUDIT_EXCLUDE = ("search_text",)

    title = models.CharField(_("title"), max_length=200)
    problem = LimitedTextField(_("problem"), max_length=5000)
    expected_outcome = LimitedTextField(_("expected outcome"), max_length=2000, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True,
                                help_text=_("Separated by commas."))
    field = models.ForeignKey(
        "core.IndustryField", verbose_name=_("industry field"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("enterprise"), on_delete=models.PROTECT,
        related_name="demands",
    )
    district = models.ForeignKey(
        "core.District", verbose_name=_("district"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    budget_min_fen = models.BigIntegerField(_("budget from (fen)"), null=True, blank=True,
                                            validators=[MinValueValidator(0)])
    budget_max_fen = models.BigIntegerField(_("budget up to (fen)"), null=True, blank=True,
                                            validators=[MinValueValidator(0)])
    deadline = models.DateField(_("deadline"), null=True, blank=True,
                                validators=[validate_planned_date])
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = PhoneField(_("contact phone"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DemandStatus.choices,
                              default=DemandStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Maintained by tmhub.transfer.search, as on Achievement.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("technology demand")
        verbose_name_plural = _("technology demands")
        # The newest published first (the transfer home, the public lists): without it the
        # database sorts every published row to show six.
        indexes = [
            models.Index(fields=["status", "-published_at"], name="transfer_demand_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        return reverse("transfer:demand-detail", args=[self.pk])

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]
