"""Talent-programme nominations (plan task 3: 对于在技术转移转化过程中做出突出贡献的技术经理人，
符合条件的可申报北京市相关人才计划; issue 17 item 6).

Programmes are data: the plan names no programme, so none is seeded; the city (or the
市人才工作局) enters each with its issuer, year and application window. An institution
nominates its own staff, the city anyone; the nomination carries the evidence from records,
gathered when it is submitted (the manager's latest published rating, the technology contracts
and the income of the projects they worked on) beside the nominator's statement, and the
市人才工作局's officer reviews it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.evaluation.spotlight_choices import NominationStatus


class TalentProgramme(TimeStampedModel):
    """A Beijing talent programme managers may be nominated to, with its application window
    (nominations are made and submitted only while it is open)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    description = LimitedTextField(_("description"), max_length=4000, blank=True)
    opens_on = models.DateField(_("nominations open on"))
    closes_on = models.DateField(_("nominations close on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-closes_on", "id"]
        verbose_name = _("talent programme")
        verbose_name_plural = _("talent programmes")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return f"{self.name_en} ({self.year})"
        return f"{self.name_zh}（{self.year}）"


    def get_absolute_url(self):
        return reverse("evaluation:programme-detail", args=[self.pk])

    def is_open(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.opens_on <= day <= self.closes_on


class Nomination(WorkflowModel, TimeStampedModel):
    """One manager nominated to one programme by an institution (`institution`, the
    manager's employer) or by the city (`institution` empty)."""

    programme = models.ForeignKey(TalentProgramme, verbose_name=_("talent programme"),
                                  on_delete=models.PROTECT, related_name="nominations")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technology manager"),
                                on_delete=models.PROTECT, related_name="talent_nominations")
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("nominating institution"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="talent_nominations",
        help_text=_("Empty when the city nominates."))
    statement = LimitedTextField(_("statement of contribution"), max_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=NominationStatus.choices,
                              default=NominationStatus.DRAFT, db_index=True, editable=False)
    rating = models.ForeignKey("evaluation.Rating", verbose_name=_("rating attached"),
                               null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", editable=False)
    evidence = models.JSONField(_("evidence from records"), default=dict, blank=True,
                                editable=False)
    evidence_as_of = models.DateField(_("evidence as of"), null=True, blank=True,
                                      editable=False)
    decision_reason = LimitedTextField(_("reasons for the decision"), max_length=3000,
                                       blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("nominated by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("talent-programme nomination")
        verbose_name_plural = _("talent-programme nominations")
        constraints = [
            models.UniqueConstraint(fields=["programme", "manager"],
                                    name="evaluation_nomination_once_per_programme"),
        ]

    def __str__(self) -> str:
        return _("%(name)s → %(programme)s") % {"name": self.manager_name,
                                                 "programme": self.programme}

    @classmethod
    def history_summary(cls, field_name: str, value) -> str | None:
        """The history names the evidence kept and its headline figures, not its JSON keys."""
        if field_name != "evidence" or not isinstance(value, dict):
            return None
        from tmhub.core.history import yuan

        return _("evidence from records as of %(day)s: %(count)s contracts, income received "
                 "¥%(income)s") % {
            "day": value.get("as_of") or "—", "count": value.get("contract_count") or 0,
            "income": yuan(value.get("income_fen") or 0)}

    def get_absolute_url(self):
        return reverse("evaluation:nomination-detail", args=[self.pk])

    @property
    def manager_name(self) -> str:
        profile = getattr(self.manager, "manager_profile", None)
        return profile.full_name if profile else str(self.manager)

    @property
    def by_city(self) -> bool:
        return self.institution_id is None
