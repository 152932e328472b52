"""Certificate revocation as a request and a decision (four eyes).

One administrator of the provider (or the city) asks for a certificate to be revoked, with the
reason; another approves it, and only then is the certificate revoked, or declines it. The
status is REVOCATION_WORKFLOW's (tmhub/training/workflows.py); the request keeps who asked,
who decided and why, and the certificate's public page says "revoked" once it is approved.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.workflow import WorkflowModel
from tmhub.training.choices import RevocationStatus


class CertificateRevocation(WorkflowModel):
    """A request to revoke one certificate; at most one awaits a decision at a time."""

    WORKFLOW_FIELDS = ("status",)

    certificate = models.ForeignKey("training.Certificate", verbose_name=_("certificate"),
                                    on_delete=models.PROTECT, related_name="revocations")
    status = models.CharField(_("status"), max_length=12, choices=RevocationStatus.choices,
                              default=RevocationStatus.REQUESTED, db_index=True)
    reason = models.TextField(_("reason for revocation"), max_length=1000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reason for the decision"), max_length=1000, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("certificate revocation")
        verbose_name_plural = _("certificate revocations")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(status=RevocationStatus.REQUESTED),
                name="training_one_open_revocation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.get_status_display()}"

    def get_absolute_url(self):
        return self.certificate.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.status == RevocationStatus.REQUESTED
