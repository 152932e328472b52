"""Rating rounds, reviewer scores, ratings and objections (SPEC §6, issue 17 items 2–3).

A round rates every registered manager and/or institution on one published indicator system
each, over a period whose last day is the cut-off: computed indicators read the metrics
registry over the period (records dated after it do not count), scored indicators the
reviewers' scores. A rating is one subject's result with one row per node of the tree
(`RatingItem`: raw value, points, contribution, the metric read); rows are written in bulk by
the computation, which the round's workflow event audits."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.evaluation.models.indicators import Indicator, IndicatorSystem
from tmhub.evaluation.rating_choices import (
    ItemSource,
    RatingObjectionStatus,
    RoundPurpose,
    RoundRunner,
    RoundStatus,
    SubjectKind,
)


class RatingRound(WorkflowModel, TimeStampedModel):
    """One periodic rating: draft → open (reviewers score) → computing → computed (reviewed;
    computed again as often as needed) → published; a round an accredited organisation runs
    waits for the city's approval before publication, and the city may suspend any round.

    Who runs it (`runner`): the city; an accredited evaluation organisation (`organization`,
    under the city's oversight); or an institution internally (`organization`), for its own
    registered managers only, for an appointment or a performance review (`purpose`).
    `subject_filter` narrows the subjects: {"districts": [ids], "institution_kinds": [kinds],
    "institutions": [ids], "fields": [ids]} (empty: everyone registered)."""

    name = models.CharField(_("name"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until (cut-off)"),
                                  help_text=_("Records dated after this day do not count."))
    manager_system = models.ForeignKey(
        IndicatorSystem, verbose_name=_("indicator system for managers"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="manager_rounds")
    institution_system = models.ForeignKey(
        IndicatorSystem, verbose_name=_("indicator system for institutions"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="institution_rounds")
    runner = models.CharField(_("run by"), max_length=12, choices=RoundRunner.choices,
                              default=RoundRunner.CITY, editable=False)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("running organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="rating_rounds", editable=False,
        help_text=_("The accredited evaluation organisation, or the institution of an "
                    "internal round."))
    purpose = models.CharField(_("purpose"), max_length=20, choices=RoundPurpose.choices,
                               blank=True,
                               help_text=_("What an internal round's results are used for."))
    subject_filter = models.JSONField(
        _("subjects"), default=dict, blank=True,
        help_text=_("Only subjects matching every given criterion are rated (district, kind "
                    "of institution, institution, industry field); empty: all registered."))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL,
                                    verbose_name=_("publication approved by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+",
                                    editable=False)
    objection_days = models.PositiveSmallIntegerField(
        _("objection window (days)"), default=15,
        help_text=_("Days after publication during which a rated subject may object."))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices,
                              default=RoundStatus.DRAFT, db_index=True)
    progress_done = models.PositiveIntegerField(_("subjects computed"), default=0,
                                                editable=False)
    progress_total = models.PositiveIntegerField(_("subjects to compute"), default=0,
                                                 editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True,
                                       editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True,
                                        editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:rating-round-detail", args=[self.pk])

    @property
    def cutoff(self) -> datetime.date:
        return self.period_end

    @property
    def objections_until(self) -> datetime.date | None:
        if self.published_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.published_at) + datetime.timedelta(
            days=self.objection_days)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status in (RoundStatus.COMPUTED, RoundStatus.PUBLISHED) else 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    def systems(self) -> list[IndicatorSystem]:
        return [s for s in (self.manager_system, self.institution_system) if s is not None]


class _Subject(models.Model):
    """A rated subject: a technology manager (a user) or an institution (an organisation)."""

    subject_kind = models.CharField(_("subject kind"), max_length=12,
                                    choices=SubjectKind.choices)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technology manager"),
                                null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    institution = models.ForeignKey("orgs.Organization", verbose_name=_("institution"),
                                    null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")

    class Meta:
        abstract = True

    @property
    def subject_id(self) -> int:
        return self.manager_id if self.subject_kind == SubjectKind.MANAGER \
            else self.institution_id

    @property
    def subject_name(self) -> str:
        if self.subject_kind == SubjectKind.MANAGER:
            profile = getattr(self.manager, "manager_profile", None)
            return profile.full_name if profile else str(self.manager)
        return str(self.institution)


def _one_subject(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(subject_kind=SubjectKind.MANAGER, manager__isnull=False,
                     institution__isnull=True)
                   | Q(subject_kind=SubjectKind.INSTITUTION, institution__isnull=False,
                       manager__isnull=True)),
        name=name)


class RatingReview(_Subject, TimeStampedModel):
    """One reviewer's score of one scored indicator for one subject of a round."""

    round = models.ForeignKey(RatingRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="reviews")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
                                 on_delete=models.PROTECT, related_name="rating_reviews")
    score = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=2, null=True,
                                blank=True)
    comment = LimitedTextField(_("comment"), max_length=2000, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["round", "indicator", "id"]
        verbose_name = _("rating review")
        verbose_name_plural = _("rating reviews")
        constraints = [
            _one_subject("evaluation_rating_review_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.subject_name}"

    def get_absolute_url(self):
        return reverse("evaluation:rating-review-detail", args=[self.pk])


class Rating(_Subject):
    """One subject's result in one round."""

    round = models.ForeignKey(RatingRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="ratings")
    system = models.ForeignKey(IndicatorSystem, verbose_name=_("indicator system"),
                               on_delete=models.PROTECT, related_name="ratings")
    employer = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer at the computation"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("The manager's employer when the rating was computed (its administrators "
                    "read it)."))
    total = models.DecimalField(_("total (0–100)"), max_digits=5, decimal_places=2)
    level = models.CharField(_("level"), max_length=40, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-total", "id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            _one_subject("evaluation_rating_subject"),
            models.UniqueConstraint(fields=["round", "manager"],
                                    condition=Q(manager__isnull=False),
                                    name="evaluation_rating_one_per_manager"),
            models.UniqueConstraint(fields=["round", "institution"],
                                    condition=Q(institution__isnull=False),
                                    name="evaluation_rating_one_per_institution"),
        ]

    def __str__(self) -> str:
        return _("%(subject)s · %(round)s") % {"subject": self.subject_name,
                                                "round": self.round}

    def get_absolute_url(self):
        return reverse("evaluation:rating-detail", args=[self.pk])

    @property
    def level_name(self) -> str:
        return self.system.level_name(self.level) if self.level else ""


class RatingItem(models.Model):
    """One node of the tree in one rating: its raw value (computed leaves: the metric's value,
    money in yuan; scored leaves: the reviewers' mean), its points (0–100) and its
    contribution to the total (points × the weights on its path)."""

    rating = models.ForeignKey(Rating, verbose_name=_("rating"), on_delete=models.CASCADE,
                               related_name="items")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.PROTECT, related_name="+")
    metric_key = models.CharField(_("metric"), max_length=80, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=ItemSource.choices)
    raw_value = models.DecimalField(_("raw value"), max_digits=20, decimal_places=4, null=True,
                                    blank=True)
    points = models.DecimalField(_("points (0–100)"), max_digits=7, decimal_places=4)
    contribution = models.DecimalField(_("contribution to the total"), max_digits=7,
                                       decimal_places=4)
    reviewer_count = models.PositiveSmallIntegerField(_("reviewer scores"), default=0)

    class Meta:
        ordering = ["rating", "id"]
        verbose_name = _("rating item")
        verbose_name_plural = _("rating items")
        constraints = [
            models.UniqueConstraint(fields=["rating", "indicator"],
                                    name="evaluation_rating_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.points}"


class RatingObjection(TimeStampedModel):
    """A rated subject's objection to a published rating, resolved by the city: upheld (the
    subject's rating is computed again) or rejected with a reason."""

    rating = models.ForeignKey(Rating, verbose_name=_("rating"), on_delete=models.CASCADE,
                               related_name="objections")
    text = LimitedTextField(_("objection"), max_length=3000)
    status = models.CharField(_("status"), max_length=10,
                              choices=RatingObjectionStatus.choices,
                              default=RatingObjectionStatus.OPEN, editable=False)
    resolution = LimitedTextField(_("resolution"), max_length=3000, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("objection filed by"),
                                 null=True, on_delete=models.SET_NULL, related_name="+",
                                 editable=False)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    total_before = models.DecimalField(_("total before"), max_digits=5, decimal_places=2,
                                       null=True, blank=True, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("objection to a rating")
        verbose_name_plural = _("objections to ratings")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self):
        return self.rating.get_absolute_url() + f"#objection-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == RatingObjectionStatus.OPEN
