"""Stage gates (rules as data) and the evidence a project records to pass them.

A gate is a set of `StageGate` rows in force for a target stage: each row names one evidence
kind that lets a project enter that stage (any one of them is enough). Signed contracts and
receipts are read from the contract records; reports, company foundings and investments are
`ProjectEvidence` rows, recorded with who and when.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.rules import EffectivePeriod, EffectivePeriodQuerySet
from tmhub.core.validators import validate_happened_date
from tmhub.transfer.choices import EvidenceKind, Stage


class StageGateQuerySet(RestrictedQuerySet, EffectivePeriodQuerySet):
    pass


class StageGate(EffectivePeriod):
    """One evidence kind that opens `stage` during its effective period."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, db_index=True)
    evidence_kind = models.CharField(
        _("evidence kind"), max_length=30, choices=EvidenceKind.choices
    )

    objects = StageGateQuerySet.as_manager()

    class Meta:
        ordering = ["stage", "evidence_kind", "-effective_from"]
        verbose_name = _("stage gate")
        verbose_name_plural = _("stage gates")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "evidence_kind", "effective_from"],
                name="transfer_stage_gate_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ← {self.get_evidence_kind_display()}"


def evidence_path(instance, filename):
    # Random names under MEDIA_ROOT (outside the web root); the original name is kept in the row.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"transfer/evidence/{instance.project_id}/{uuid.uuid4().hex}.{suffix}"


class ProjectEvidence(models.Model):
    """A report, a company founded or an investment made, recorded on a project."""

    project = models.ForeignKey(
        "transfer.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    kind = models.CharField(_("evidence kind"), max_length=30, choices=EvidenceKind.choices)
    occurred_on = models.DateField(_("date"), validators=[validate_happened_date])
    title = models.CharField(_("document or reference"), max_length=200)
    party = models.CharField(_("issued by / company / investor"), max_length=200, blank=True)
    amount_fen = models.BigIntegerField(
        _("amount (fen)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("stage evidence")
        verbose_name_plural = _("stage evidence")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
