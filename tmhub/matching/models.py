"""The matching app's own records: where an imported achievement came from.

The index itself is derived data on disk (see ``store.py``); the only table here maps records
loaded by ``match_batch`` back to the ids of the file they came from.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
