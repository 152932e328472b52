"""The matching app's own records: where an imported achievement came from.

The index itself is derived data on disk (see ``store.py``); the tables here map records
loaded by ``match_batch`` back to the ids of the file they came from, and keep the
introductions asked for from a match.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField


class ExternalRecord(models.Model):
    """An achievement loaded from an evaluation corpus, keyed by the corpus's own id.

    ``discipline_label`` keeps a corpus discipline that names no NSFC discipline, so it still
    reaches the index as a structured attribute. ``title_generated`` marks a display title made
    from the abstract for a row without one; the indexer ignores such a title because it would
    only repeat the abstract's first words.
    """

    source = models.CharField(_("source"), max_length=100)
    external_id = models.CharField(_("external id"), max_length=100)
    achievement = models.OneToOneField(
        "transfer.Achievement", verbose_name=_("achievement"), on_delete=models.CASCADE,
        related_name="external_record",
    )
    discipline_label = models.CharField(_("discipline (as given)"), max_length=100, blank=True)
    category_label = models.CharField(_("category (as given)"), max_length=100, blank=True)
    title_generated = models.BooleanField(_("title made from the abstract"), default=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["source", "id"]
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [models.UniqueConstraint(fields=["source", "external_id"],
                                               name="matching_external_unique")]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class IntroductionRequest(models.Model):
    """A next step from a match: one side of a demand-achievement match asks to be introduced
    to the other ("express interest" from the demand's side, "request an introduction" from
    the achievement's side).

    The other side's people are notified; when a transfer project carries the achievement,
    the request is also logged there as an introduction (``activity``), attributed to a
    manager of that project, so the credit for a deal can be traced to it.
    """

    class Side(models.TextChoices):
        DEMAND = "demand", _("the demand's side")
        ACHIEVEMENT = "achievement", _("the achievement's side")

    achievement = models.ForeignKey("transfer.Achievement", verbose_name=_("achievement"),
                                    on_delete=models.CASCADE, related_name="+")
    demand = models.ForeignKey("transfer.Demand", verbose_name=_("demand"),
                               on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("asked by"), max_length=12, choices=Side.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")
    message = LimitedTextField(_("message"), max_length=1000, blank=True)
    activity = models.ForeignKey("transfer.Activity", verbose_name=_("project log entry"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("introduction request")
        verbose_name_plural = _("introduction requests")
        constraints = [models.UniqueConstraint(fields=["achievement", "demand", "side"],
                                               name="matching_introduction_once_per_side")]

    def __str__(self) -> str:
        return f"{self.demand} ↔ {self.achievement}"
