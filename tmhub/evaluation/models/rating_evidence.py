"""A social-evaluation rating attached to a title application as evidence (issue 17 item 4).

Why the attachment freezes a snapshot of the rating's figures instead of only pointing at the
rating row: a published rating is not immutable. When the city upholds an objection the same
row is computed again in place (`services.ratings.resolve_objection` → `_recompute_one`: new
total, level and items on the same id), and a round's name can be edited. An auditor reading
an application years later must see what the applicant claimed when they submitted it, and
the reviewers must score the same figures the employer endorsed. So the figures are copied
from the rating (round, system and version, cut-off, total, level, each dimension's points)
when it is attached, never typed by the applicant, and kept with the application; the link to
the rating stays so the page can show when the live rating no longer matches the snapshot
(`services.rating_use.is_stale`). A stale snapshot, or a rating with an objection still being
resolved, cannot be submitted: the applicant attaches the rating again (the new snapshot then
equals the rating at submission), or detaches it."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet


class RatingEvidence(models.Model):
    """The rating one title application cites, with its figures as they were when attached."""

    application = models.OneToOneField(
        "evaluation.TitleApplication", verbose_name=_("application"), on_delete=models.CASCADE,
        related_name="rating_evidence")
    rating = models.ForeignKey(
        "evaluation.Rating", verbose_name=_("rating"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The rating the figures were taken from (kept if the rating is deleted)."))
    round_name = models.CharField(_("rating round"), max_length=200)
    system_name_zh = models.CharField(_("indicator system (Chinese)"), max_length=200)
    system_name_en = models.CharField(_("indicator system (English)"), max_length=200,
                                      blank=True)
    system_version = models.PositiveIntegerField(_("indicator system version"))
    cutoff = models.DateField(_("cut-off date"))
    total = models.DecimalField(_("total (0–100)"), max_digits=5, decimal_places=2)
    level = models.CharField(_("level"), max_length=40, blank=True)
    level_name_zh = models.CharField(_("level name (Chinese)"), max_length=100, blank=True)
    level_name_en = models.CharField(_("level name (English)"), max_length=100, blank=True)
    # [{"code", "name_zh", "name_en", "weight", "points", "contribution"}]: the tree's top
    # level, in order (decimals as strings, as the rating's items hold them, to the cent)
    dimensions = models.JSONField(_("dimension scores"), default=list, blank=True)
    rating_computed_at = models.DateTimeField(_("rating computed at"))
    attached_at = models.DateTimeField(_("attached at"), editable=False)
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("attached by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+",
                                    editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating cited as evidence")
        verbose_name_plural = _("ratings cited as evidence")

    def __str__(self) -> str:
        return f"{self.round_name} · {self.total}"

    def get_absolute_url(self):
        return self.application.get_absolute_url() + "#rating-evidence"

    @property
    def system_name(self) -> str:
        return _in_language(self.system_name_zh, self.system_name_en)

    @property
    def level_name(self) -> str:
        return _in_language(self.level_name_zh, self.level_name_en)

    def dimension_rows(self) -> list[dict]:
        """The dimensions with their name in the reader's language."""
        return [{**d, "name": _in_language(d.get("name_zh", ""), d.get("name_en", ""))}
                for d in self.dimensions or []]


def _in_language(zh: str, en: str) -> str:
    return en if en and (get_language() or "").startswith("en") else zh
