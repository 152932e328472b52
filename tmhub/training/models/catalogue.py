"""The training catalogue: providers, programmes, courses and instructors.

The catalogue is public once published; a provider's programmes, courses and cohorts are
managed by the institution administrators of the provider's organisation (and the city): the
rules are the policies' (tmhub/training/policies.py).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import BilingualNameMixin, TimeStampedModel
from tmhub.training.choices import InstructorKind, Level, Module, ProgrammeKind, ProviderKind


class BilingualTextMixin(models.Model):
    """Abstract base: a description in Chinese and English; `description` follows the UI."""

    description_zh = LimitedTextField(_("description (Chinese)"), max_length=5000, blank=True)
    description_en = LimitedTextField(_("description (English)"), max_length=5000, blank=True)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description_zh


class TrainingProvider(BilingualNameMixin, BilingualTextMixin, TimeStampedModel):
    """A university, a registered transfer institution or an international partner that trains."""

    kind = models.CharField(_("kind"), max_length=30, choices=ProviderKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="training_providers",
        help_text=_("The organisation whose administrators run this provider's cohorts."),
    )
    country = models.CharField(_("country or region"), max_length=60, blank=True,
                               default="中国")
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name


class Programme(BilingualNameMixin, BilingualTextMixin, TimeStampedModel):
    """A training programme: a level course of the syllabus, continuing education, or a
    university postgraduate programme / elective in technology transfer."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    provider = models.ForeignKey(TrainingProvider, verbose_name=_("provider"),
                                 on_delete=models.PROTECT, related_name="programmes")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices,
                            default=ProgrammeKind.CERTIFICATION)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True,
                             help_text=_("Only level programmes lead to a certificate."))
    is_published = models.BooleanField(_("published"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name_zh", "code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        return reverse("training:programme-detail", args=[self.pk])


class Instructor(TimeStampedModel):
    """A full-time teacher or a part-time industry mentor (兼职产业导师)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InstructorKind.choices)
    provider = models.ForeignKey(TrainingProvider, verbose_name=_("provider"),
                                 on_delete=models.PROTECT, related_name="instructors")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    organization_name = models.CharField(
        _("organisation (if not in the registry)"), max_length=200, blank=True
    )
    title = models.CharField(_("position or title"), max_length=100, blank=True)
    fields = models.ManyToManyField("core.IndustryField", verbose_name=_("industry fields"),
                                    blank=True, related_name="+")
    bio = LimitedTextField(_("public bio"), max_length=2000, blank=True)
    user = models.ForeignKey("accounts.User", verbose_name=_("platform account"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def affiliation(self) -> str:
        return str(self.organization) if self.organization_id else self.organization_name


class Course(BilingualNameMixin, BilingualTextMixin, TimeStampedModel):
    """One course of a programme, in one syllabus module, worth a number of class hours."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"),
                                  on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(_("code"), max_length=40)
    module = models.CharField(_("module"), max_length=20, choices=Module.choices)
    hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1)
    is_elective = models.BooleanField(_("elective"), default=False)
    instructors = models.ManyToManyField(Instructor, verbose_name=_("instructors"), blank=True,
                                         related_name="courses")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["programme", "sort_order", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="training_course_code"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_course_hours_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("training:course-detail", args=[self.pk])
