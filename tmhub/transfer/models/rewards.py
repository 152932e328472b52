"""Reward rules (data, with legal basis and effective dates) and frozen reward splits."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.rules import EffectivePeriod, EffectivePeriodQuerySet
from tmhub.core.validators import validate_happened_date, validate_planned_date
from tmhub.core.workflow import WorkflowModel
from tmhub.transfer.choices import RewardBasis, RuleLevel, SplitStatus, TransferMode

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def in_ui_language(zh: str, en: str) -> str:
    """The English text on the English UI when there is one, else the Chinese (the original)."""
    return en if en and (get_language() or "").startswith("en") else zh


def percent_field(label, **kwargs):
    return models.DecimalField(label, max_digits=5, decimal_places=2, validators=PERCENT,
                               **kwargs)


class RewardRuleQuerySet(RestrictedQuerySet, EffectivePeriodQuerySet):
    """Rules restricted like every record (`restrict`) and looked up by date (`in_force`)."""


class RewardRule(EffectivePeriod, TimeStampedModel):
    """A reward policy for one transfer mode: minimum team share and default split.

    Rules are data: seeded by a migration (Beijing and the national fallback), editable by
    administrators; the rule in force on a split's income date applies
    (`RewardRule.objects.in_force`), the most specific level (institution > city > national)
    first. No percentage has a default in code: each row states its own, with its legal basis.
    """

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=RuleLevel.choices)
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reward_rules",
    )
    transfer_mode = models.CharField(_("transfer mode"), max_length=20,
                                     choices=TransferMode.choices)
    basis = models.CharField(_("basis"), max_length=20, choices=RewardBasis.choices)
    min_team_share = percent_field(_("minimum team share (%)"))
    default_team_share = percent_field(_("default team share (%)"))
    default_office_share = percent_field(
        _("default share for the transfer office's capacity building and manager rewards (%)")
    )
    default_institution_share = percent_field(_("default institution share (%)"))
    min_years = models.PositiveSmallIntegerField(_("paid for at least (years)"), null=True,
                                                 blank=True)
    max_years = models.PositiveSmallIntegerField(_("paid for at most (years)"), null=True,
                                                 blank=True)
    # The period fields come from EffectivePeriod; a reward rule must name its legal basis
    # (the statement prints it) and its dates stay within the platform's plausible range.
    legal_basis = LimitedTextField(_("legal basis"), max_length=2000)
    # The text of the law in English for the English UI and statements (Chinese is the
    # authoritative text and the fallback).
    legal_basis_en = LimitedTextField(_("legal basis (English)"), max_length=2000, blank=True)
    effective_from = models.DateField(_("effective from"), validators=[validate_planned_date])
    effective_to = models.DateField(_("effective until"), null=True, blank=True,
                                    validators=[validate_planned_date])
    # Not the period: a rule withdrawn as entered in error applies on no date at all, while
    # ending a rule that was in force is done with `effective_to`.
    is_active = models.BooleanField(
        _("active"), default=True,
        help_text=_("Clear only for a rule entered in error: it then applies on no date. To end "
                    "a rule that was in force, set its end date."))

    objects = RewardRuleQuerySet.as_manager()

    class Meta:
        ordering = ["-level", "transfer_mode", "-effective_from"]
        verbose_name = _("reward rule")
        verbose_name_plural = _("reward rules")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_ui_language(self.name, self.name_en)

    @property
    def legal_basis_text(self) -> str:
        return in_ui_language(self.legal_basis, self.legal_basis_en)

    def get_absolute_url(self):
        return reverse("transfer:rule-detail", args=[self.pk])

    def clean(self):
        errors = {}
        try:
            super().clean()  # the period: it ends after it starts
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        total = (self.default_team_share or 0) + (self.default_office_share or 0) + (
            self.default_institution_share or 0)
        if total != 100:
            errors["default_institution_share"] = _("The default shares must sum to 100%.")
        if (self.default_team_share or 0) < (self.min_team_share or 0):
            errors["default_team_share"] = _("The default team share is below the minimum.")
        if self.level == RuleLevel.INSTITUTION and not self.institution_id:
            errors["institution"] = _("An institution rule needs an institution.")
        if self.level != RuleLevel.INSTITUTION and self.institution_id:
            errors["institution"] = _("Only institution rules name an institution.")
        if errors:
            raise ValidationError(errors)

    def snapshot(self) -> dict:
        """The rule as it was applied, stored on an approved split."""
        return {
            "id": self.pk, "name": self.name, "name_en": self.name_en, "level": self.level,
            "transfer_mode": self.transfer_mode, "basis": self.basis,
            "min_team_share": str(self.min_team_share),
            "default_team_share": str(self.default_team_share),
            "default_office_share": str(self.default_office_share),
            "default_institution_share": str(self.default_institution_share),
            "min_years": self.min_years, "max_years": self.max_years,
            "legal_basis": self.legal_basis, "legal_basis_en": self.legal_basis_en,
            "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
        }


class RewardSplit(WorkflowModel, TimeStampedModel):
    """One net-income (or equity, or operating-profit) amount split into rewards.

    Amounts are integers in fen and sum exactly to `amount_fen`. Approval freezes the split:
    the rule as applied is copied into `rule_snapshot`, so a later rule change never alters it.
    The status moves only through `tmhub.transfer.workflows.SPLIT_WORKFLOW`.
    """

    WORKFLOW_FIELDS = ("status",)

    number = models.CharField(_("statement number"), max_length=30, unique=True, null=True,
                              blank=True)
    institution = models.ForeignKey("orgs.Organization", verbose_name=_("institution"),
                                    on_delete=models.PROTECT, related_name="reward_splits")
    project = models.ForeignKey("transfer.Project", verbose_name=_("project"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="splits")
    contract = models.ForeignKey("transfer.Contract", verbose_name=_("contract"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="splits")
    transfer_mode = models.CharField(_("transfer mode"), max_length=20,
                                     choices=TransferMode.choices)
    income_date = models.DateField(_("income date"), validators=[validate_happened_date])
    amount_fen = models.BigIntegerField(_("amount to split (fen)"),
                                        validators=[MinValueValidator(1)])
    profit_year = models.PositiveSmallIntegerField(_("year of operating profit"), null=True,
                                                   blank=True)
    rule = models.ForeignKey(RewardRule, verbose_name=_("rule applied"),
                             on_delete=models.PROTECT, related_name="splits")
    rule_snapshot = models.JSONField(_("rule as applied"), default=dict, blank=True)
    # Computed from the rule when the split is drafted; zero until then.
    team_share = percent_field(_("team share (%)"), default=Decimal("0"))
    office_share = percent_field(_("transfer office share (%)"), default=Decimal("0"))
    institution_share = percent_field(_("institution share (%)"), default=Decimal("0"))
    team_fen = models.BigIntegerField(_("team reward (fen)"), default=0)
    office_fen = models.BigIntegerField(_("transfer office (fen)"), default=0)
    institution_fen = models.BigIntegerField(_("institution (fen)"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=SplitStatus.choices,
                              default=SplitStatus.DRAFT, db_index=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"),
                                    null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    notes = LimitedTextField(_("notes"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-income_date", "-id"]
        verbose_name = _("reward split")
        verbose_name_plural = _("reward splits")

    def __str__(self) -> str:
        return self.number or f"#{self.pk} {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("transfer:split-detail", args=[self.pk])

    # The rule as applied (the snapshot), in the UI's language: splits approved before the
    # rules had English keep their Chinese text.
    @property
    def rule_name(self) -> str:
        snapshot = self.rule_snapshot or {}
        return in_ui_language(snapshot.get("name", ""), snapshot.get("name_en", ""))

    @property
    def rule_legal_basis(self) -> str:
        snapshot = self.rule_snapshot or {}
        return in_ui_language(snapshot.get("legal_basis", ""), snapshot.get("legal_basis_en", ""))

    @property
    def is_frozen(self) -> bool:
        return self.status != SplitStatus.DRAFT

    @property
    def has_statement(self) -> bool:
        """An approved split has a reward statement (PDF and xlsx)."""
        return self.status == SplitStatus.APPROVED


class SplitAllocation(models.Model):
    """The team reward of a split allocated to one named person by contribution."""

    split = models.ForeignKey(RewardSplit, verbose_name=_("split"), on_delete=models.CASCADE,
                              related_name="allocations")
    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("platform user"),
                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contribution = percent_field(_("contribution (%)"), default=Decimal("0"))
    amount_fen = models.BigIntegerField(_("amount (fen)"), default=0)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reward allocation")
        verbose_name_plural = _("reward allocations")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount_fen}"
