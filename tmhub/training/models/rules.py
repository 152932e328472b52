"""Rules as data: what completes a level, the plan's target, continuing-education hours.

Each rule row carries an effective period, the legal-basis text it implements and whether
the figure is confirmed (`tmhub.core.rules.EffectivePeriod`); services look up the row in force
on a date (`Model.objects.in_force(on, **scope)`) instead of using numbers written in code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tmhub.core.rules import EffectivePeriod
from tmhub.training.choices import Level, Module


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
