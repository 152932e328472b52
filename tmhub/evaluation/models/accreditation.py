"""Accreditation of social training and evaluation organisations (社会培训评价组织, issue 17
item 6a): the city accredits an organisation of that kind for a period, and only while an
accreditation is in force may its staff run a rating round (always under the city's
oversight: `tmhub.evaluation.policies_ratings`). Revoking keeps the row (the history of who
was accredited when stays readable); every change is audited by the service."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel


class AccreditationQuerySet(RestrictedQuerySet):
    def in_force(self, on: datetime.date | None = None):
        """Accreditations in force on `on` (today): begun, not ended, not revoked."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on),
                           valid_from__lte=on, revoked_at__isnull=True)


class EvaluationAccreditation(TimeStampedModel):
    """The city's accreditation of one organisation to run rating rounds, for a period."""

    organization = models.ForeignKey("orgs.Organization", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="accreditations")
    reference = models.CharField(_("decision reference"), max_length=100,
                                 help_text=_("The number of the city's accreditation decision."))
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True,
                                   help_text=_("Empty: until revoked."))
    scope_note = LimitedTextField(_("scope of the accreditation"), max_length=2000, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("granted by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True,
                                     editable=False)

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("accreditation to evaluate")
        verbose_name_plural = _("accreditations to evaluate")

    def __str__(self) -> str:
        return f"{self.organization} · {self.reference}"

    def in_force_on(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.revoked_at is None and self.valid_from <= on
                and (self.valid_until is None or on <= self.valid_until))
