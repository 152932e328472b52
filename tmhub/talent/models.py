"""The technology-manager talent pool: profiles, registration (入库登记), annual filing (年度备案).

Profiles hold personal data; what each persona may see (rows, fields such as phone, e-mail and
the masked ID, and steps) is decided by the policies in `policies.py`. The full ID number is
stored only encrypted (see `protection.py`) and is decrypted by the audited reveal. The status of
a registration and of a filing is written only by their workflows (`registration.py`,
`filing.py`).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.chinese_text import pinyin_key
from tmhub.core.fields import LimitedTextField, PhoneField
from tmhub.core.models import BilingualNameMixin, TimeStampedModel
from tmhub.core.rules import EffectivePeriod, EffectivePeriodQuerySet
from tmhub.core.workflow import WorkflowModel
from tmhub.talent.choices import (
    ACTIVE_REGISTRATION_STATUSES,
    Degree,
    EmploymentType,
    EntryRoute,
    FilingStatus,
    FilingSubject,
    IdentityType,
    ProfessionalTitle,
    RegistrationStatus,
    TrainingLevel,
)


class Competence(BilingualNameMixin):
    """A professional competence (law, finance, IP, valuation, negotiation…): data, not code."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    description = LimitedTextField(_("description"), max_length=2000, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")


class ManagerProfile(TimeStampedModel):
    """One technology manager: identity, employer, education, competences, public bio.

    `is_listed`, `registry_number` and `search_text` are maintained by the services: the first
    two follow the current registration (so the public directory needs no join), the last is the
    jieba-segmented text searched by the directory.
    """

    AUDIT_EXCLUDE = ("id_number_encrypted", "id_number_digest", "search_text", "name_pinyin")

    user = models.OneToOneField(
        "accounts.User", verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="manager_profile",
    )
    full_name = models.CharField(_("full name"), max_length=100, db_index=True)
    # The sort key of the name (chinese_text.pinyin_key), kept by save(): lists sort by pinyin.
    name_pinyin = models.CharField(_("name in pinyin (sort key)"), max_length=255, blank=True,
                                   editable=False)
    name_en = models.CharField(_("name in English / pinyin"), max_length=100, blank=True)
    identity_type = models.CharField(_("identity document"), max_length=12,
                                     choices=IdentityType.choices,
                                     default=IdentityType.RESIDENT_ID)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), blank=True,
                                           editable=False)
    id_number_digest = models.CharField(_("ID number fingerprint"), max_length=64, unique=True,
                                        null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("ID number (masked)"), max_length=40, blank=True,
                                        editable=False)
    nationality = models.CharField(_("nationality"), max_length=60, default="中国")
    employer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="managers",
    )
    employment_type = models.CharField(_("employment"), max_length=10,
                                       choices=EmploymentType.choices,
                                       default=EmploymentType.FULL_TIME)
    work_district = models.ForeignKey(
        "core.District", verbose_name=_("work district"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="managers",
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    degree = models.CharField(_("highest degree"), max_length=10, choices=Degree.choices,
                              blank=True)
    school = models.CharField(_("school"), max_length=100, blank=True)
    major = models.CharField(_("major"), max_length=100, blank=True)
    discipline = models.ForeignKey(
        "core.Discipline", verbose_name=_("discipline background"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="managers",
    )
    competences = models.ManyToManyField(Competence, verbose_name=_("competences"), blank=True,
                                         related_name="managers")
    fields = models.ManyToManyField("core.IndustryField", verbose_name=_("industry fields"),
                                    blank=True, related_name="managers")
    languages = models.CharField(_("languages"), max_length=200, blank=True,
                                 help_text=_("Separated by commas, e.g. Chinese, English"))
    # Verified: the highest level of a valid platform certificate or of a verified external
    # certificate (kept by `levels.recompute_training_level`, never typed in the profile).
    training_level = models.CharField(_("training level"), max_length=12,
                                      choices=TrainingLevel.choices, blank=True, db_index=True,
                                      editable=False)
    # A level once self-declared without evidence: shown to the manager and administrators as
    # an unverified claim until a certificate backs it.
    claimed_training_level = models.CharField(
        _("claimed training level (unverified)"), max_length=12, choices=TrainingLevel.choices,
        blank=True, editable=False)
    professional_title = models.CharField(_("professional title"), max_length=20,
                                          choices=ProfessionalTitle.choices,
                                          default=ProfessionalTitle.NONE)
    entry_route = models.CharField(_("entry route"), max_length=10, choices=EntryRoute.choices,
                                   default=EntryRoute.SELECTED)
    years_experience = models.PositiveSmallIntegerField(_("years of transfer experience"),
                                                        default=0)
    bio = LimitedTextField(_("public bio"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="talent/photos/%Y/", blank=True)
    phone = PhoneField(_("phone"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    is_listed = models.BooleanField(_("listed in the public directory"), default=False,
                                    editable=False)
    registry_number = models.CharField(_("registry number"), max_length=30, blank=True,
                                       editable=False)
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True,
                                         editable=False)
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name_pinyin", "id"]
        verbose_name = _("technology manager")
        verbose_name_plural = _("technology managers")
        indexes = [
            models.Index(fields=["is_listed", "full_name"], name="talent_listed_name"),
            models.Index(fields=["is_listed", "registered_at"], name="talent_listed_regat"),
            # The public directory (is_listed) sorted with the id as tie-breaker (see
            # filters.ListingOrderingFilter): a page is read in index order, not sorted.
            models.Index(fields=["name_pinyin", "id"], condition=Q(is_listed=True),
                         name="talent_dir_pinyin"),
            models.Index(fields=["registered_at", "id"], condition=Q(is_listed=True),
                         name="talent_dir_registered"),
            models.Index(fields=["years_experience", "id"], condition=Q(is_listed=True),
                         name="talent_dir_experience"),
            # Every scalar directory filter plus the id: exact counts (the API) by an
            # index-only scan instead of reading the wide rows (bio, search vector).
            models.Index(fields=["training_level", "professional_title", "entry_route",
                                 "work_district", "employer", "id"],
                         condition=Q(is_listed=True), name="talent_dir_filters"),
            # The city dashboard's registry figures (insights.dashboard): managers registered
            # in a period grouped by district, year, level, route and employer, read from
            # the index alone.
            models.Index(fields=["registered_at", "work_district", "training_level",
                                 "entry_route", "employer", "id"], name="talent_registered_cover"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_pinyin = pinyin_key(self.full_name, person=True)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("talent:manager-detail", args=[self.pk])

    @property
    def language_list(self) -> list[str]:
        return [x.strip() for x in self.languages.replace("，", ",").split(",") if x.strip()]


class ManagerRegistration(WorkflowModel, TimeStampedModel):
    """入库登记 of one manager: draft → … → registered (registry number), and later changes.

    The status moves only through `registration.REGISTRATION_WORKFLOW`."""

    profile = models.ForeignKey(ManagerProfile, verbose_name=_("manager"),
                                on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.DRAFT, db_index=True)
    registry_number = models.CharField(_("registry number"), max_length=30, unique=True,
                                       null=True, blank=True)
    statement = LimitedTextField(_("statement of the applicant"), max_length=2000, blank=True)
    field_comments = models.JSONField(_("comments per field"), default=dict, blank=True)
    last_reason = LimitedTextField(_("last reason"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    endorsed_at = models.DateTimeField(_("endorsed at"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("endorsed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("manager registration")
        verbose_name_plural = _("manager registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status__in=ACTIVE_REGISTRATION_STATUSES),
                name="talent_one_active_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile} · {self.registry_number or self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("talent:registration-detail", args=[self.pk])


class FilingPolicy(EffectivePeriod):
    """When the annual filing is due and how long overdue filings are tolerated (rules as data).

    The figures come from the rows (seeded by migration 0002, edited by administrators), never
    from code: `FilingPolicy.objects.current(on)` is the row in force on a date.
    """

    effective_from = models.DateField(_("effective from"), unique=True)
    due_month = models.PositiveSmallIntegerField(_("due month (following year)"))
    due_day = models.PositiveSmallIntegerField(_("due day"))
    grace_days = models.PositiveSmallIntegerField(_("grace period (days) before suspension"))

    objects = EffectivePeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("annual filing policy")
        verbose_name_plural = _("annual filing policies")

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.due_month}/{self.due_day} +{self.grace_days}d"


class AnnualFiling(WorkflowModel, TimeStampedModel):
    """年度备案 of one registered manager or institution for one year, pre-filled from records.

    `prefilled` keeps what the platform computed and `figures` what the filer confirmed, so a
    correction is visible. The status moves only through `filing.FILING_WORKFLOW`.
    """

    subject = models.CharField(_("filed by"), max_length=12, choices=FilingSubject.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    registration = models.ForeignKey(
        ManagerRegistration, verbose_name=_("manager registration"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="filings",
    )
    institution_registration = models.ForeignKey(
        "orgs.InstitutionRegistration", verbose_name=_("institution registration"), null=True,
        blank=True, on_delete=models.CASCADE, related_name="talent_filings",
    )
    status = models.CharField(_("status"), max_length=10, choices=FilingStatus.choices,
                              default=FilingStatus.OPEN, db_index=True)
    due_date = models.DateField(_("due date"))
    prefilled = models.JSONField(_("pre-filled figures"), default=dict, blank=True)
    figures = models.JSONField(_("confirmed figures"), default=dict, blank=True)
    summary = LimitedTextField(_("summary of the year's work"), max_length=5000, blank=True)
    corrections_note = LimitedTextField(_("explanation of corrections"), max_length=2000,
                                        blank=True)
    submitted_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", verbose_name=_("filed by user"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("annual filing")
        verbose_name_plural = _("annual filings")
        constraints = [
            models.UniqueConstraint(fields=["registration", "year"],
                                    name="talent_filing_manager_year"),
            models.UniqueConstraint(fields=["institution_registration", "year"],
                                    name="talent_filing_institution_year"),
            models.CheckConstraint(
                condition=(
                    Q(registration__isnull=False, institution_registration__isnull=True)
                    | Q(registration__isnull=True, institution_registration__isnull=False)
                ),
                name="talent_filing_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.filer_name}"

    def get_absolute_url(self):
        return reverse("talent:filing-detail", args=[self.pk])

    @property
    def filer_name(self) -> str:
        if self.registration_id:
            return str(self.registration.profile)
        return str(self.institution_registration.organization)

    @property
    def is_overdue(self) -> bool:
        return self.status == FilingStatus.OPEN and self.due_date < timezone.localdate()



# External training certificates (levels) and the supporting documents of a registration:
# each model in its own module.
from tmhub.talent.credentials import ExternalCertificate  # noqa: E402, F401
from tmhub.talent.documents import RegistrationDocument  # noqa: E402, F401
