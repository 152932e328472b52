"""Rules as data: what completes a level, the plan's target, continuing-education hours.

Each rule row carries an effective period and the legal-basis text it implements; services
look up the row in force on a date instead of using numbers written in code.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.training.choices import Level, Module


class EffectivePeriodQuerySet(models.QuerySet):
    def in_force(self, on_date):
        """Rows whose effective period contains `on_date`, most recent start first."""
        return self.filter(
            Q(effective_from__lte=on_date),
            Q(effective_to__isnull=True) | Q(effective_to__gte=on_date),
        ).order_by("-effective_from", "-id")


class EffectivePeriod(models.Model):
    """Abstract base: an effective period and the legal basis of a rule row."""

    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)

    objects = EffectivePeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The end of the effective period is before its start.")},
                code="invalid_period",
            )


class CompletionRule(EffectivePeriod):
    """What a trainee must achieve to complete a level (the national syllabus's class hours).

    The rule in force on the cohort's start date applies to the whole cohort.
    """

    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    required_total_hours = models.DecimalField(_("required total class hours"), max_digits=6,
                                               decimal_places=1)
    requires_assessments_passed = models.BooleanField(
        _("all required assessments must be passed"), default=True
    )

    class Meta:
        ordering = ["level", "-effective_from"]
        verbose_name = _("completion rule")
        verbose_name_plural = _("completion rules")

    def __str__(self) -> str:
        return f"{self.get_level_display()} ≥ {self.required_total_hours} ({self.effective_from})"

    def module_minimums(self) -> dict[str, object]:
        return {m.module: m.min_hours for m in self.modules.all()}


class CompletionRuleModule(models.Model):
    """The minimum class hours of one syllabus module within a completion rule."""

    rule = models.ForeignKey(CompletionRule, verbose_name=_("rule"), on_delete=models.CASCADE,
                             related_name="modules")
    module = models.CharField(_("module"), max_length=20, choices=Module.choices)
    min_hours = models.DecimalField(_("minimum class hours"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["rule", "module"]
        verbose_name = _("module requirement")
        verbose_name_plural = _("module requirements")
        constraints = [
            models.UniqueConstraint(fields=["rule", "module"], name="training_rule_module_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_module_display()} ≥ {self.min_hours}"


class PlanTarget(EffectivePeriod):
    """The plan's training target (about 500 trained managers by the end of 2025)."""

    code = models.SlugField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    target_count = models.PositiveIntegerField(_("target number of trained managers"))
    baseline_date = models.DateField(_("counting starts on"))
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["code", "-effective_from"]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")

    def __str__(self) -> str:
        return f"{self.title}: {self.target_count} / {self.deadline}"


class ContinuingEducationRule(EffectivePeriod):
    """Class hours of continuing education a registered manager needs per year."""

    annual_hours = models.DecimalField(_("class hours per year"), max_digits=6, decimal_places=1)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("continuing-education rule")
        verbose_name_plural = _("continuing-education rules")

    def __str__(self) -> str:
        return f"≥ {self.annual_hours} / {self.effective_from}"
