"""Funded-project pilots (SPEC §8): programmes, KPI types, pilots, their KPIs, managers and
stage reports."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.choices import Department
from tmhub.core.models import BilingualNameMixin, TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.pilots.choices import (
    AssignmentMode,
    KpiSource,
    PilotResult,
    ProgrammeKind,
    ReportStatus,
    Stage,
)


class Programme(BilingualNameMixin, TimeStampedModel):
    """A municipal funding programme (the Science and Technology Commission's by default). Its
    programme officers are department officers of the funding department named here: they read
    and steer its pilots while they hold that department's membership."""

    code = models.CharField(_("programme code"), max_length=40, unique=True)
    kind = models.CharField(_("programme kind"), max_length=20, choices=ProgrammeKind.choices)
    department = models.CharField(
        _("funding department"), max_length=40, choices=Department.choices,
        default=Department.SCIENCE,
        help_text=_("The municipal department that funds the programme; its officers named "
                    "on the programme read and steer the programme's pilots."))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("programme officers"), blank=True,
        related_name="pilot_programmes")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def get_absolute_url(self):
        return reverse("pilots:programme", args=[self.pk])


class KpiType(BilingualNameMixin):
    """A kind of transfer KPI (data: seeded by a migration, extended by the city). `source`
    names the metric that counts it from linked records; empty means reported with evidence."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    unit_zh = models.CharField(_("unit (Chinese)"), max_length=20)
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    source = models.CharField(_("source of the actual value"), max_length=40, blank=True,
                              choices=KpiSource.choices)
    fen_per_unit = models.PositiveBigIntegerField(
        _("fen per unit"), null=True, blank=True,
        help_text=_("For money: how many fen one unit is (10,000 yuan = 1,000,000 fen)."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("KPI type")
        verbose_name_plural = _("KPI types")

    @property
    def unit(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.unit_en:
            return self.unit_en
        return self.unit_zh

    @property
    def is_linked(self) -> bool:
        return bool(self.source)


class Pilot(WorkflowModel, TimeStampedModel):
    """A funded project the city selected as a pilot of full-cycle management by managers."""

    WORKFLOW_FIELDS = ("stage",)

    programme = models.ForeignKey(Programme, verbose_name=_("funding programme"),
                                  on_delete=models.PROTECT, related_name="pilots")
    code = models.CharField(_("project code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    institution = models.ForeignKey("orgs.Organization", verbose_name=_("undertaking institution"),
                                    on_delete=models.PROTECT, related_name="pilots")
    principal_investigator = models.CharField(_("principal investigator"), max_length=100)
    budget_fen = models.BigIntegerField(_("budget (fen)"), validators=[MinValueValidator(0)])
    starts_on = models.DateField(_("project starts"))
    ends_on = models.DateField(_("project ends"))
    field = models.ForeignKey("core.IndustryField", verbose_name=_("industry field"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    district = models.ForeignKey("core.District", verbose_name=_("district"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")
    selection_reason = models.CharField(_("reason for selection"), max_length=1000)
    selected_on = models.DateField(_("selected on"), default=timezone.localdate)
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("selected by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices,
                             default=Stage.FEASIBILITY)
    stage_due_on = models.DateField(_("stage report due"), null=True, blank=True)
    stage_reminded_for = models.DateField(_("reminded of the report due on"), null=True,
                                          blank=True, editable=False)
    contracts = models.ManyToManyField("transfer.Contract", verbose_name=_("linked contracts"),
                                       blank=True, related_name="pilots")
    projects = models.ManyToManyField(
        "transfer.Project", verbose_name=_("linked transfer projects"), blank=True,
        related_name="pilots")
    overall_attainment = models.DecimalField(_("overall KPI attainment (%)"), max_digits=7,
                                             decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=PilotResult.choices,
                              blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-selected_on", "code"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="pilot_period_in_order"),
            models.CheckConstraint(condition=Q(budget_fen__gte=0),
                                   name="pilot_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("pilots:detail", args=[self.pk])

    def active_assignments(self):
        return self.assignments.filter(ended_on__isnull=True)


class PilotKpi(TimeStampedModel):
    """One transfer KPI of a pilot: a target by a due date, weighed in the overall attainment."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("pilot"), on_delete=models.CASCADE,
                              related_name="kpis")
    kpi_type = models.ForeignKey(KpiType, verbose_name=_("KPI type"), on_delete=models.PROTECT,
                                 related_name="+")
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    due_on = models.DateField(_("due date"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    reported_value = models.DecimalField(_("reported value"), max_digits=14, decimal_places=2,
                                         null=True, blank=True,
                                         validators=[MinValueValidator(Decimal("0"))])
    evidence = models.CharField(_("evidence"), max_length=1000, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    final_value = models.DecimalField(_("value at close-out"), max_digits=14, decimal_places=2,
                                      null=True, blank=True)
    attainment = models.DecimalField(_("attainment (%)"), max_digits=7, decimal_places=1,
                                     null=True, blank=True)
    reminded_for = models.DateField(_("reminded of the due date"), null=True, blank=True,
                                    editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["pilot", "due_on", "pk"]
        verbose_name = _("pilot KPI")
        verbose_name_plural = _("pilot KPIs")
        constraints = [
            models.UniqueConstraint(fields=["pilot", "kpi_type"], name="one_kpi_of_a_type"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_type.name} {self.target} {self.kpi_type.unit}"

    def get_absolute_url(self):
        return self.pilot.get_absolute_url()


class Assignment(TimeStampedModel):
    """A manager assigned to a pilot from one day to (possibly) another."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("pilot"), on_delete=models.CASCADE,
                              related_name="assignments")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("manager"),
                                on_delete=models.PROTECT, related_name="pilot_assignments")
    mode = models.CharField(_("assignment mode"), max_length=12, choices=AssignmentMode.choices)
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=500, blank=True)
    replaced_by = models.ForeignKey("self", verbose_name=_("replaced by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="replaces")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["pilot", "-assigned_on", "pk"]
        verbose_name = _("manager assignment")
        verbose_name_plural = _("manager assignments")
        constraints = [
            models.UniqueConstraint(fields=["pilot", "manager"],
                                    condition=Q(ended_on__isnull=True),
                                    name="one_open_assignment_per_manager_and_pilot"),
        ]

    def __str__(self) -> str:
        return f"{self.pilot.code} · {self.manager}"

    def get_absolute_url(self):
        return self.pilot.get_absolute_url()


class StageReport(WorkflowModel, TimeStampedModel):
    """The manager's report closing one stage, reviewed by the undertaking institution and
    then by the programme officer."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("pilot"), on_delete=models.CASCADE,
                              related_name="reports")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.PROTECT, related_name="+")
    done = models.TextField(_("what was done"), max_length=4000)
    risks = models.TextField(_("risks"), max_length=2000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=2000, blank=True)
    kpi_progress = models.TextField(_("KPI progress"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["pilot", "-created_at"]
        verbose_name = _("stage report")
        verbose_name_plural = _("stage reports")

    def __str__(self) -> str:
        return f"{self.pilot.code} · {self.get_stage_display()}"

    def get_absolute_url(self):
        return reverse("pilots:report", args=[self.pk])
