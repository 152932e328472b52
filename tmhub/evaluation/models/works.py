"""Representative works (代表作清单) of a title application (SPEC §6, issue 16 item 3).

A work is either picked from a platform record — a technology contract, a transfer project with
its stages, an approved reward statement — whose figures are read from that record (never
retyped), or uploaded with its evidence file. The applicant's role is given for each."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.evaluation.choices import WorkKind, WorkRole


def work_evidence_path(instance, filename):
    # Random names under MEDIA_ROOT (outside the web root); the original name is kept in the row.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evaluation/works/{instance.application_id}/{uuid.uuid4().hex}.{suffix}"


class RepresentativeWork(models.Model):
    application = models.ForeignKey("evaluation.TitleApplication", verbose_name=_("application"),
                                    on_delete=models.CASCADE, related_name="works")
    kind = models.CharField(_("kind of work"), max_length=20, choices=WorkKind.choices)
    title = models.CharField(_("title"), max_length=200)
    role = models.CharField(_("your role"), max_length=12, choices=WorkRole.choices)
    role_detail = LimitedTextField(_("what you did"), max_length=1000, blank=True)
    happened_on = models.DateField(_("date"), null=True, blank=True,
                                   help_text=_("Of publication, signature, grant or award."))
    contract = models.ForeignKey("transfer.Contract", verbose_name=_("contract"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("transfer.Project", verbose_name=_("transfer project"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    reward_split = models.ForeignKey("transfer.RewardSplit", verbose_name=_("reward statement"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    evidence = models.FileField(_("evidence"), upload_to=work_evidence_path, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("representative work")
        verbose_name_plural = _("representative works")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(contract__isnull=True, project__isnull=True)
                           | models.Q(contract__isnull=True, reward_split__isnull=True)
                           | models.Q(project__isnull=True, reward_split__isnull=True)),
                name="evaluation_work_one_record_at_most"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def record(self):
        return self.contract or self.project or self.reward_split

    @property
    def from_record(self) -> bool:
        return bool(self.contract_id or self.project_id or self.reward_split_id)
