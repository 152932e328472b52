"""Professional titles of the 工程技术系列技术经纪专业 (SPEC §6, issue 16): levels and directions
as data, and the eligibility rules as rows in force for a period (core.rules.EffectivePeriod).

An eligibility rule is one route to a level: a minimum education with full years of work since
graduation, or a lower title held for full years (with a minimum education). An applicant meets
the level's education-and-years condition when one route in force is met. Performance
conditions are listed per level (and direction) for reviewers to confirm.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.fields import LimitedTextField
from tmhub.core.rules import EffectivePeriod
from tmhub.evaluation.choices import Education


def _in_language(zh: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") and en else zh


class TitleLevel(models.Model):
    """助理工程师, 工程师, 高级工程师, 正高级工程师: `rank` orders them (1 is the lowest)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("title level")
        verbose_name_plural = _("title levels")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)


class TitleDirection(models.Model):
    """技术转移转化研究 (research) and 技术转移转化运营服务 (operation)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("title direction")
        verbose_name_plural = _("title directions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)


class EligibilityRule(EffectivePeriod):
    """One route to a level: at least `min_education`, and either full years since graduation
    or a lower title (`required_title`, or a higher one) held for full years."""

    level = models.ForeignKey(TitleLevel, verbose_name=_("level"), on_delete=models.PROTECT,
                              related_name="eligibility_rules")
    code = models.SlugField(_("code"), max_length=60)
    min_education = models.CharField(_("minimum education"), max_length=24,
                                     choices=Education.choices)
    min_years_since_education = models.PositiveSmallIntegerField(
        _("full years of work since graduation"), default=0)
    required_title = models.ForeignKey(
        TitleLevel, verbose_name=_("title required"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Leave empty for a route by education and years of work alone."))
    min_years_in_title = models.PositiveSmallIntegerField(
        _("full years in the required title"), default=0)
    legal_basis_en = LimitedTextField(_("legal basis (English)"), max_length=2000, blank=True)

    class Meta:
        ordering = ["level__rank", "-effective_from", "code"]
        verbose_name = _("title eligibility rule")
        verbose_name_plural = _("title eligibility rules")
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "effective_from"],
                                    name="evaluation_eligibility_rule_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.code}"

    def clean(self):
        super().clean()
        if self.required_title_id and self.level_id and \
                self.required_title.rank >= self.level.rank:
            raise ValidationError(
                {"required_title": _("The title required must be lower than the level.")},
                code="title_not_lower")

    @property
    def legal_basis_text(self) -> str:
        return _in_language(self.legal_basis, self.legal_basis_en)


class PerformanceCondition(EffectivePeriod):
    """A performance condition of a level (for one direction, or both when none), listed on the
    eligibility answer with `met: null` and confirmed by reviewers on the application."""

    level = models.ForeignKey(TitleLevel, verbose_name=_("level"), on_delete=models.PROTECT,
                              related_name="performance_conditions")
    direction = models.ForeignKey(
        TitleDirection, verbose_name=_("direction"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="performance_conditions",
        help_text=_("Leave empty when the condition applies to both directions."))
    code = models.SlugField(_("code"), max_length=60)
    text_zh = LimitedTextField(_("condition (Chinese)"), max_length=1000)
    text_en = LimitedTextField(_("condition (English)"), max_length=1000, blank=True)
    legal_basis_en = LimitedTextField(_("legal basis (English)"), max_length=2000, blank=True)

    class Meta:
        ordering = ["level__rank", "code"]
        verbose_name = _("title performance condition")
        verbose_name_plural = _("title performance conditions")
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "effective_from"],
                                    name="evaluation_performance_condition_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.level} · {self.code}"

    @property
    def text(self) -> str:
        return _in_language(self.text_zh, self.text_en)

    @property
    def legal_basis_text(self) -> str:
        return _in_language(self.legal_basis, self.legal_basis_en)


class TitleProcedureRule(EffectivePeriod):
    """The round's procedural figures: notice periods in working days, quorum and vote
    threshold as fractions of the panel's members."""

    employer_notice_working_days = models.PositiveSmallIntegerField(
        _("employer public notice (working days)"))
    result_notice_working_days = models.PositiveSmallIntegerField(
        _("public notice of the result (working days)"))
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"))
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"))
    threshold_numerator = models.PositiveSmallIntegerField(_("vote threshold numerator"))
    threshold_denominator = models.PositiveSmallIntegerField(_("vote threshold denominator"))
    legal_basis_en = LimitedTextField(_("legal basis (English)"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("title procedure rule")
        verbose_name_plural = _("title procedure rules")

    def __str__(self) -> str:
        return str(self.effective_from)

    def clean(self):
        super().clean()
        errors = {}
        for part in ("quorum", "threshold"):
            numerator = getattr(self, f"{part}_numerator")
            denominator = getattr(self, f"{part}_denominator")
            if denominator is not None and numerator is not None and \
                    not 0 < numerator <= denominator:
                errors[f"{part}_numerator"] = _(
                    "The fraction must lie between zero (excluded) and one.")
        if errors:
            raise ValidationError(errors, code="bad_fraction")

    @property
    def legal_basis_text(self) -> str:
        return _in_language(self.legal_basis, self.legal_basis_en)
