"""Title rounds and applications (SPEC §6, issue 16 item 4): the workflow of one application
from draft to the result (and the revocation of an approved title), the per-field comments of a
return, and the objections received during the public notice of the result."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.evaluation.choices import (
    RETURNABLE_FIELDS,
    ApplicationStatus,
    Education,
    ObjectionStatus,
    ReturnStage,
)
from tmhub.evaluation.models.titles import TitleDirection, TitleLevel


class TitleRound(TimeStampedModel):
    """One year's evaluation of the 技术经纪 titles, run by the 市人社局: applications are
    submitted until `closes_on` (included)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("title round")
        verbose_name_plural = _("title rounds")

    def __str__(self) -> str:
        return _("Technology brokerage titles %(year)s") % {"year": self.year}

    def is_open(self, on) -> bool:
        return self.opens_on <= on <= self.closes_on


class TitleApplication(WorkflowModel, TimeStampedModel):
    """One technology manager's application for one level and direction in one round."""

    round = models.ForeignKey(TitleRound, verbose_name=_("round"), on_delete=models.PROTECT,
                              related_name="applications")
    applicant = models.ForeignKey("talent.ManagerProfile", verbose_name=_("applicant"),
                                  on_delete=models.PROTECT, related_name="title_applications")
    institution = models.ForeignKey("orgs.Organization", verbose_name=_("employer"),
                                    on_delete=models.PROTECT, related_name="title_applications")
    level = models.ForeignKey(TitleLevel, verbose_name=_("level applied for"),
                              on_delete=models.PROTECT, related_name="applications")
    direction = models.ForeignKey(TitleDirection, verbose_name=_("direction"),
                                  on_delete=models.PROTECT, related_name="applications")
    education = models.CharField(_("highest education"), max_length=24,
                                 choices=Education.choices)
    years_since_education = models.PositiveSmallIntegerField(
        _("full years of work since graduation"))
    current_title = models.ForeignKey(TitleLevel, verbose_name=_("current title"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    years_in_current_title = models.PositiveSmallIntegerField(
        _("full years in the current title"), default=0)
    summary = LimitedTextField(_("summary of professional work"), max_length=5000,
                               blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True,
                                        editable=False)
    employer_notice_start = models.DateField(_("employer notice from"), null=True, blank=True,
                                             editable=False)
    employer_notice_end = models.DateField(_("employer notice until"), null=True, blank=True,
                                           editable=False)
    employer_notice_estimated = models.BooleanField(
        _("employer notice counted without the official holiday calendar"), default=False,
        editable=False)
    endorsed_at = models.DateTimeField(_("endorsed at"), null=True, blank=True, editable=False)
    panel_size = models.PositiveSmallIntegerField(_("panel members"), null=True, blank=True,
                                                  editable=False)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True,
                                                       blank=True, editable=False)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True,
                                                 editable=False)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True,
                                                     editable=False)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True,
                                                     editable=False)
    result_notice_start = models.DateField(_("result notice from"), null=True, blank=True,
                                           editable=False)
    result_notice_end = models.DateField(_("result notice until"), null=True, blank=True,
                                         editable=False)
    result_notice_estimated = models.BooleanField(
        _("result notice counted without the official holiday calendar"), default=False,
        editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    certificate_number = models.CharField(
        _("qualification number"), max_length=40, unique=True, null=True, blank=True,
        editable=False,
        help_text=_("Given on approval; anyone can verify it on the public verification page."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"),
                                   null=True, blank=True, editable=False,
                                   on_delete=models.SET_NULL, related_name="+")
    revocation_reason = LimitedTextField(_("reason for the revocation"), max_length=2000,
                                         blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("title application")
        verbose_name_plural = _("title applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "applicant"],
                condition=~models.Q(status__in=["withdrawn"]),
                name="evaluation_one_live_application_per_round"),
        ]

    def __str__(self) -> str:
        return _("%(name)s · %(level)s (%(direction)s)") % {
            "name": self.applicant.full_name, "level": self.level.name,
            "direction": self.direction.name}

    def get_absolute_url(self):
        return reverse("evaluation:application-detail", args=[self.pk])


class ReturnComment(models.Model):
    """A comment on one field of a returned application; resolved when it is submitted again."""

    application = models.ForeignKey(TitleApplication, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="return_comments")
    stage = models.CharField(_("returned at"), max_length=10, choices=ReturnStage.choices)
    field = models.CharField(_("form field"), max_length=40,
                             choices=[(name, name) for name in RETURNABLE_FIELDS])
    text = LimitedTextField(_("comment"), max_length=1000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("return comment")
        verbose_name_plural = _("return comments")

    def __str__(self) -> str:
        return self.text[:60]


class Objection(TimeStampedModel):
    """An objection received during the public notice of the result, recorded and resolved by
    the bureau; the objector's name is kept from the applicant."""

    application = models.ForeignKey(TitleApplication, verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("date received"))
    objector = models.CharField(_("objector"), max_length=100, blank=True,
                                help_text=_("Leave empty for an anonymous objection."))
    text = LimitedTextField(_("objection"), max_length=3000)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.OPEN)
    resolution = LimitedTextField(_("resolution"), max_length=3000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self) -> str:
        return self.text[:60]

    def get_absolute_url(self):
        return self.application.get_absolute_url() + f"#objection-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ObjectionStatus.OPEN
