"""Training certificates: issued by the completion service, verifiable by number in public."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.training.choices import CertificateStatus, Level


class Certificate(models.Model):
    """A certificate of a completed level, with a unique, never-reused, hard-to-guess number.

    The holder's name and the level are copied at issuance: they are what the public
    verification page shows, and they must not change when a profile is edited later.
    """

    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    enrolment = models.OneToOneField("training.Enrolment", verbose_name=_("enrolment"),
                                     on_delete=models.PROTECT, related_name="certificate")
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("holder"),
                                on_delete=models.PROTECT, related_name="training_certificates")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    holder_name = models.CharField(_("holder's name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    hours = models.DecimalField(_("class hours"), max_digits=7, decimal_places=1)
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID, db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("revoked by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    revocation_reason = LimitedTextField(_("reason for revocation"), max_length=1000,
                                         blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["status", "issued_at"], name="training_cert_status_at")]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self):
        return reverse("training:certificate-detail", args=[self.pk])

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class ExternalHours(models.Model):
    """Continuing-education class hours earned outside the platform's cohorts (a conference,
    a course abroad), recorded by the manager's institution administrator."""

    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("manager"),
                                on_delete=models.CASCADE, related_name="external_training_hours")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("activity"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("external training hours")
        verbose_name_plural = _("external training hours")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_external_hours_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.title} ({self.hours})"


class TrainedManager(models.Model):
    """One row per manager holding at least one valid certificate: when they first counted
    as trained, and their highest level. Kept by the certificate services in the same
    transaction as each issuance or revocation, so the city's dashboard counts people
    without a DISTINCT over every certificate ever issued."""

    trainee = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("manager"),
                                   on_delete=models.CASCADE, related_name="training_summary")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    first_certified_at = models.DateTimeField(_("first certified at"), db_index=True)
    highest_level = models.CharField(_("highest level"), max_length=20, choices=Level.choices)
    valid_certificates = models.PositiveSmallIntegerField(_("valid certificates"), default=1)

    class Meta:
        verbose_name = _("trained manager")
        verbose_name_plural = _("trained managers")

    def __str__(self) -> str:
        return f"{self.trainee} · {self.get_highest_level_display()}"
