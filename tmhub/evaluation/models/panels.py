"""Review panels of the title rounds (SPEC §6, issue 16 item 5): the expert pool, panels per
round, level and direction, the reviewers assigned to an application (never one of the
applicant's institution or with a declared conflict), and their scores on weighted criteria
(criteria and weights as data, `ScoringCriterion`)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.rules import EffectivePeriod
from tmhub.evaluation.models.titles import TitleDirection, TitleLevel, _in_language


class TitleExpert(TimeStampedModel):
    """An expert of the title pool (评审专家库): a platform user holding the reviewer role, with
    the institution they work for (the conflict rule reads it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("platform user"),
                                on_delete=models.PROTECT, related_name="title_expert")
    full_name = models.CharField(_("name"), max_length=100)
    institution = models.ForeignKey("orgs.Organization", verbose_name=_("works for"),
                                    on_delete=models.PROTECT, related_name="title_experts")
    specialty = models.CharField(_("specialty"), max_length=200, blank=True)
    active = models.BooleanField(_("active in the pool"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("title expert")
        verbose_name_plural = _("title experts")

    def __str__(self) -> str:
        return self.full_name


class TitlePanel(TimeStampedModel):
    """The review panel (评审委员会) of one level and direction in one round."""

    round = models.ForeignKey("evaluation.TitleRound", verbose_name=_("round"),
                              on_delete=models.PROTECT, related_name="panels")
    level = models.ForeignKey(TitleLevel, verbose_name=_("level"), on_delete=models.PROTECT,
                              related_name="panels")
    direction = models.ForeignKey(TitleDirection, verbose_name=_("direction"),
                                  on_delete=models.PROTECT, related_name="panels")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(TitleExpert, verbose_name=_("members"),
                                     through="PanelMember", related_name="panels")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-round__year", "level__rank", "direction__sort_order"]
        verbose_name = _("title review panel")
        verbose_name_plural = _("title review panels")
        constraints = [
            models.UniqueConstraint(fields=["round", "level", "direction"],
                                    name="evaluation_one_panel_per_level_direction"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("evaluation:panel-detail", args=[self.pk])


class PanelMember(models.Model):
    panel = models.ForeignKey(TitlePanel, verbose_name=_("panel"), on_delete=models.CASCADE,
                              related_name="memberships")
    expert = models.ForeignKey(TitleExpert, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="memberships")
    is_chair = models.BooleanField(_("chair"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_chair", "expert__full_name", "id"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        constraints = [models.UniqueConstraint(fields=["panel", "expert"],
                                               name="evaluation_member_once_per_panel")]

    def __str__(self) -> str:
        return str(self.expert)


class ConflictDeclaration(models.Model):
    """A conflict of interest of an expert with one application (回避): declared by the expert
    or recorded by the bureau; the expert is then never assigned to it."""

    expert = models.ForeignKey(TitleExpert, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="conflicts")
    application = models.ForeignKey("evaluation.TitleApplication",
                                    verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="conflicts")
    reason = LimitedTextField(_("reason"), max_length=1000)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("declared by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_at", "id"]
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["expert", "application"],
                                               name="evaluation_conflict_once")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.application_id}"


class ScoringCriterion(EffectivePeriod):
    """A criterion reviewers score an application on, with its weight (weights of the criteria
    in force add up to the whole; each score lies between 0 and `max_score`)."""

    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1)])
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=100,
                                                 validators=[MinValueValidator(1)])
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    legal_basis_en = LimitedTextField(_("legal basis (English)"), max_length=2000, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("title scoring criterion")
        verbose_name_plural = _("title scoring criteria")
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"],
                                               name="evaluation_criterion_once_per_start")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_zh, self.name_en)


class ReviewAssignment(models.Model):
    """One reviewer assigned to one application by the bureau; their scores are submitted once
    and may be corrected (audited) until the review closes."""

    application = models.ForeignKey("evaluation.TitleApplication",
                                    verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="assignments")
    panel = models.ForeignKey(TitlePanel, verbose_name=_("panel"), on_delete=models.PROTECT,
                              related_name="assignments")
    expert = models.ForeignKey(TitleExpert, verbose_name=_("reviewer"),
                               on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("scores submitted at"), null=True, blank=True)
    recused_at = models.DateTimeField(_("recused at"), null=True, blank=True)
    comment = LimitedTextField(_("review comment"), max_length=3000, blank=True)
    total = models.DecimalField(_("weighted score"), max_digits=6, decimal_places=2, null=True,
                                blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = _("title review")
        verbose_name_plural = _("title reviews")
        constraints = [models.UniqueConstraint(fields=["application", "expert"],
                                               name="evaluation_review_once_per_expert")]

    def __str__(self) -> str:
        return f"{self.application} · {self.expert}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("evaluation:review-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.recused_at is None


class ReviewScore(models.Model):
    assignment = models.ForeignKey(ReviewAssignment, verbose_name=_("review"),
                                   on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, verbose_name=_("criterion"),
                                  on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["criterion__sort_order", "id"]
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"],
                                               name="evaluation_score_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
