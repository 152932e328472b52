"""The spotlight of outstanding managers (优秀技术经理人, issue 17 item 6; the plan's publicity
measure 注重宣传推广).

The city picks each entry by hand from a published round's results — a published round never
makes entries by itself — and writes its citation. The manager's consent is recorded (who
recorded it, when it was given, the evidence) before the entry can be public; a second
municipal user approves what one drafted; a published entry can be withdrawn with a reason.
The public reads only published entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.evaluation.spotlight_choices import SpotlightStatus


class SpotlightEntry(WorkflowModel, TimeStampedModel):
    """One manager in the spotlight, for one rating of a published round."""

    rating = models.ForeignKey("evaluation.Rating", verbose_name=_("rating"),
                               on_delete=models.PROTECT, related_name="spotlight_entries")
    citation_zh = LimitedTextField(_("citation (Chinese)"), max_length=2000)
    citation_en = LimitedTextField(_("citation (English)"), max_length=3000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SpotlightStatus.choices,
                              default=SpotlightStatus.DRAFT, db_index=True, editable=False)
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True,
                                        editable=False)
    consent_note = LimitedTextField(
        _("evidence of consent"), max_length=1000, blank=True, editable=False,
        help_text=_("How the manager agreed: a signed form, an e-mail, their confirmation on "
                    "the platform."))
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("consent recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False)
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True,
                                               editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True,
                                        editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("spotlight entry")
        verbose_name_plural = _("spotlight entries")
        constraints = [
            # One live entry per rating: a withdrawn one may be drafted again.
            models.UniqueConstraint(fields=["rating"],
                                    condition=~Q(status=SpotlightStatus.WITHDRAWN),
                                    name="evaluation_spotlight_one_live_per_rating"),
        ]

    def __str__(self) -> str:
        return _("%(name)s · %(round)s") % {"name": self.manager_name,
                                             "round": self.rating.round}

    def get_absolute_url(self):
        return reverse("evaluation:spotlight-detail", args=[self.pk])

    @property
    def manager(self):
        return self.rating.manager

    @property
    def profile(self):
        return getattr(self.rating.manager, "manager_profile", None)

    @property
    def manager_name(self) -> str:
        profile = self.profile
        if profile is None:
            return str(self.rating.manager)
        if (get_language() or "").startswith("en") and profile.name_en:
            return profile.name_en
        return profile.full_name

    @property
    def institution(self):
        """The manager's employer when the round was computed (what the rating rated)."""
        return self.rating.employer

    @property
    def citation(self) -> str:
        if (get_language() or "").startswith("en") and self.citation_en:
            return self.citation_en
        return self.citation_zh

    @property
    def has_consent(self) -> bool:
        return self.consent_recorded_at is not None
