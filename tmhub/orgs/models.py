"""The organisation registry and technology-transfer institution registration."""

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.chinese_text import pinyin_key
from tmhub.core.choices import OrgKind
from tmhub.core.fields import LimitedTextField, PhoneField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_credit_code
from tmhub.core.workflow import WorkflowModel
from tmhub.orgs.choices import RegistrationStatus


class Organization(TimeStampedModel):
    """Any organisation on the platform: university, institute, hospital, enterprise, provider…

    Name, kind, district and fields are public; contact details are shown only to those who
    may change the record (tmhub/orgs/policies.py).
    """

    AUDIT_EXCLUDE = ("name_pinyin",)

    name = models.CharField(_("name"), max_length=200, db_index=True)
    # The sort key of the name (chinese_text.pinyin_key), kept by save(): lists sort by pinyin.
    name_pinyin = models.CharField(_("name in pinyin (sort key)"), max_length=255, blank=True,
                                   editable=False, db_index=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrgKind.choices, db_index=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True,
        validators=[validate_credit_code],
    )
    institution_code = models.CharField(_("institution code"), max_length=20, blank=True)
    supervising_department = models.CharField(_("supervising department"), max_length=100,
                                              blank=True)
    district = models.ForeignKey(
        "core.District", verbose_name=_("district"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="organizations",
    )
    fields = models.ManyToManyField(
        "core.IndustryField", verbose_name=_("industry fields"), blank=True,
        related_name="organizations",
    )
    has_transfer_office = models.BooleanField(_("runs a technology-transfer office"),
                                              default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = LimitedTextField(_("description"), max_length=2000, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = PhoneField(_("contact phone"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name_pinyin", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:organization-detail", args=[self.pk])


class InstitutionRegistration(WorkflowModel, TimeStampedModel):
    """技术转移机构登记: an application by a Beijing-based institution, reviewed by the city.

    Its status is REGISTRATION_WORKFLOW's (tmhub/orgs/workflows.py): a plain save() that
    changes it raises. Who sees and edits it: tmhub/orgs/policies.py."""

    WORKFLOW_FIELDS = ("status",)

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="registrations",
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.DRAFT, db_index=True)
    registry_number = models.CharField(_("registry number"), max_length=30, unique=True,
                                       null=True, blank=True)
    premises_address = models.CharField(_("fixed premises address"), max_length=300)
    premises_area = models.DecimalField(_("premises area (m²)"), max_digits=9, decimal_places=1,
                                        null=True, blank=True)
    fulltime_staff = models.PositiveIntegerField(_("full-time staff"), default=0)
    has_written_rules = models.BooleanField(_("has written management rules"), default=False)
    rules_summary = LimitedTextField(_("summary of the rules"), max_length=2000, blank=True)
    business_scope = LimitedTextField(_("business scope"), max_length=2000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("institution registration")
        verbose_name_plural = _("institution registrations")

    def __str__(self) -> str:
        return f"{self.organization} · {self.registry_number or self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("orgs:registration-detail", args=[self.pk])


# Requests to change an organisation's identity, reviewed by the city (their own module).
from tmhub.orgs.change_requests import IdentityChangeRequest  # noqa: E402, F401
