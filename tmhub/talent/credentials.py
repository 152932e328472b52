"""External training certificates (issued outside the platform), recorded with evidence.

A manager's training level is never typed into the profile: it is the highest level of a
valid certificate issued on the platform (training) or of an external certificate recorded
here with its evidence and verified by a municipal administrator (`levels.py` computes it and
keeps `ManagerProfile.training_level`). An external certificate waits for verification
(pending) and is then verified or rejected, each step through `levels.CREDENTIAL_WORKFLOW`.

The model lives here, imported by `models.py`, so the talent models stay one module per part.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.models import TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.talent.choices import TrainingLevel


class CredentialStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class CredentialEvent(models.TextChoices):
    RECORDED = "talent.credential.recorded", _("External certificate recorded")
    VERIFIED = "talent.credential.verified", _("External certificate verified")
    REJECTED = "talent.credential.rejected", _("External certificate rejected")
    LEVEL_CHANGED = "talent.profile.level_changed", _("Verified training level changed")


def evidence_path(instance, filename):
    """A random name under the manager's folder (served only by the policy-checked view)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"talent/certificates/{instance.profile_id}/{uuid.uuid4().hex}.{suffix}"


class ExternalCertificate(WorkflowModel, TimeStampedModel):
    """A training-level certificate from another issuer, with its evidence file."""

    profile = models.ForeignKey(
        "talent.ManagerProfile", verbose_name=_("manager"), on_delete=models.CASCADE,
        related_name="external_certificates",
    )
    issuer = models.CharField(_("issuing organisation"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=TrainingLevel.choices)
    number = models.CharField(_("certificate number"), max_length=60)
    issued_on = models.DateField(_("date of issue"))
    evidence = models.FileField(_("evidence (scan of the certificate)"),
                                upload_to=evidence_path, max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=CredentialStatus.choices,
                              default=CredentialStatus.PENDING, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    decision_note = models.TextField(_("reason of the decision"), max_length=2000, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        app_label = "talent"
        ordering = ["-issued_on", "-id"]
        verbose_name = _("external training certificate")
        verbose_name_plural = _("external training certificates")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"],
                                    name="talent_external_cert_number"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.number} · {self.get_level_display()}"

    def get_absolute_url(self):
        return reverse("talent:credential-detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.status == CredentialStatus.VERIFIED
