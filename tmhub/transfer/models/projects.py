"""Transfer projects: achievements toward partners, managers, stages and the activity log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_planned_date
from tmhub.core.workflow import WorkflowModel
from tmhub.transfer.choices import ActivityKind, ManagerRole, Stage


class Project(WorkflowModel, TimeStampedModel):
    """One piece of transfer work by an institution's office, moved through `Stage`s.

    `version` grows on every write so a form posted from a stale page is refused
    (optimistic locking on top of the row lock the services take). The stage moves only
    through `tmhub.transfer.workflows.STAGE_WORKFLOW`.
    """

    WORKFLOW_FIELDS = ("stage",)

    title = models.CharField(_("title"), max_length=200)
    description = LimitedTextField(_("description"), max_length=5000, blank=True)
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("institution"), on_delete=models.PROTECT,
        related_name="transfer_projects",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices,
                             default=Stage.MINING, db_index=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=timezone.now)
    achievements = models.ManyToManyField(
        "transfer.Achievement", verbose_name=_("achievements"), blank=True,
        related_name="projects",
    )
    demands = models.ManyToManyField("transfer.Demand", verbose_name=_("demands"), blank=True,
                                     related_name="projects")
    partners = models.ManyToManyField("orgs.Organization", verbose_name=_("partners"),
                                      blank=True, related_name="partner_projects")
    field = models.ForeignKey(
        "core.IndustryField", verbose_name=_("industry field"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    started_on = models.DateField(_("start date"), default=timezone.localdate,
                                  validators=[validate_planned_date])
    landed_on = models.DateField(_("landing date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("transfer project")
        verbose_name_plural = _("transfer projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        return reverse("transfer:project-detail", args=[self.pk])


class ProjectAssignment(models.Model):
    """A manager (a user with a manager membership) on a project, with a role and a term."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("manager"),
                             on_delete=models.PROTECT, related_name="transfer_assignments")
    role = models.CharField(_("role"), max_length=12, choices=ManagerRole.choices,
                            default=ManagerRole.SUPPORTING)
    assigned_on = models.DateField(_("assigned on"), default=timezone.localdate)
    released_on = models.DateField(_("released on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "assigned_on", "id"]
        verbose_name = _("manager assignment")
        verbose_name_plural = _("manager assignments")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"],
                                    condition=Q(released_on__isnull=True),
                                    name="transfer_assignment_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def is_lead(self) -> bool:
        return self.role == ManagerRole.LEAD

    @property
    def profile(self):
        # The talent app owns manager profiles; it may not be installed yet.
        return getattr(self.user, "manager_profile", None)


class Activity(models.Model):
    """What a manager did on a project. Introductions are timestamped and attributed, so the
    credit for a deal can be traced to the manager who made the connection."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("manager"),
                                on_delete=models.PROTECT, related_name="transfer_activities")
    summary = models.CharField(_("summary"), max_length=300)
    details = LimitedTextField(_("details"), max_length=2000, blank=True)
    counterpart = models.ForeignKey(
        "orgs.Organization", verbose_name=_("counterpart organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    counterpart_person = models.CharField(_("counterpart person"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def is_introduction(self) -> bool:
        return self.kind == ActivityKind.INTRODUCTION
