"""Indicator systems of social evaluation as versioned data (SPEC §6, issue 17 item 1).

A system is a tree of dimensions and indicators with weights in percent (the children of each
node, and the top level, sum to 100: checked when it is published). A leaf is either computed
from a metric of the registry (`tmhub.core.metrics`) through a scoring curve kept as data, or
scored by reviewers on a 0–100 scale. Levels from the total are data too (`levels`). A
published version is frozen — the model itself refuses to save or delete it or any of its
nodes — and a new version is a copy (`services.indicators.new_version`)."""

from __future__ import annotations

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
from tmhub.evaluation.rating_choices import IndicatorKind, SubjectKind, SystemStatus


class FrozenVersionError(ValidationError):
    """A published indicator system (or a node of one) was about to change."""

    def __init__(self):
        super().__init__(_("A published indicator system is frozen: make a new version to "
                           "change it."), code="version_frozen")


def _bilingual(obj) -> str:
    if (get_language() or "").startswith("en") and obj.name_en:
        return obj.name_en
    return obj.name_zh


class IndicatorSystem(TimeStampedModel):
    """One version of an indicator system. Versions of one system share `code`."""

    code = models.SlugField(_("code"), max_length=40,
                            help_text=_("Shared by every version of the system."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    subject_kind = models.CharField(_("rates"), max_length=12, choices=SubjectKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=SystemStatus.choices,
                              default=SystemStatus.DRAFT, editable=False)
    is_template = models.BooleanField(
        _("template"), default=False,
        help_text=_("A starting point seeded with the platform: the city edits a new version "
                    "of it; its weights are not an official figure."))
    basis = LimitedTextField(_("legal and methodological basis"), max_length=4000, blank=True)
    levels = models.JSONField(
        _("levels"), default=list, blank=True,
        help_text=_("Bands of the total, lowest first: [{\"code\", \"name_zh\", \"name_en\", "
                    "\"min\"}]."))
    copied_from = models.ForeignKey("self", verbose_name=_("copied from"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="copies",
                                    editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True,
                                        editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("indicator system")
        verbose_name_plural = _("indicator systems")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"],
                                    name="evaluation_indicator_system_version"),
        ]

    def __str__(self) -> str:
        return _("%(name)s (version %(version)s)") % {"name": self.name,
                                                      "version": self.version}

    def save(self, *args, **kwargs):
        if self._stored_published():
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_published():
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    @property
    def name(self) -> str:
        return _bilingual(self)

    @property
    def is_published(self) -> bool:
        return self.status == SystemStatus.PUBLISHED

    def get_absolute_url(self):
        return reverse("evaluation:indicator-system-detail", args=[self.pk])

    def _stored_published(self) -> bool:
        if self.pk is None:
            return False
        return type(self)._base_manager.filter(
            pk=self.pk, status=SystemStatus.PUBLISHED).exists()

    def level_bands(self) -> list[dict]:
        return sorted(self.levels or [], key=lambda band: Decimal(str(band["min"])))

    def level_name(self, code: str) -> str:
        for band in self.levels or []:
            if band.get("code") == code:
                if (get_language() or "").startswith("en") and band.get("name_en"):
                    return band["name_en"]
                return band.get("name_zh", code)
        return ""


class Indicator(models.Model):
    """One node of a system's tree: a dimension (with children) or a leaf indicator."""

    system = models.ForeignKey(IndicatorSystem, verbose_name=_("indicator system"),
                               on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=IndicatorKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    weight = models.DecimalField(
        _("weight (%)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Share of the parent (or of the total), in percent."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    metric_key = models.CharField(_("metric"), max_length=80, blank=True,
                                  help_text=_("The registry's figure a computed indicator "
                                              "reads."))
    curve = models.JSONField(
        _("scoring curve"), default=dict, blank=True,
        help_text=_("{\"kind\": \"thresholds\", \"steps\": [[minimum, points], …]} or "
                    "{\"kind\": \"linear\", \"zero\": value at 0 points, \"full\": value at "
                    "100 points}; money in yuan."))
    guidance = LimitedTextField(_("guidance"), max_length=2000, blank=True,
                                help_text=_("How it is measured or scored."))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["system", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["system", "code"],
                                    name="evaluation_indicator_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self._frozen() or (self.pk is not None and type(self)._base_manager.filter(
                pk=self.pk, system__status=SystemStatus.PUBLISHED).exists()):
            raise FrozenVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._frozen():
            raise FrozenVersionError()
        return super().delete(*args, **kwargs)

    @property
    def name(self) -> str:
        return _bilingual(self)

    @property
    def is_leaf(self) -> bool:
        return self.kind != IndicatorKind.DIMENSION

    def _frozen(self) -> bool:
        if not self.system_id:
            return False
        return IndicatorSystem._base_manager.filter(
            pk=self.system_id, status=SystemStatus.PUBLISHED).exists()
