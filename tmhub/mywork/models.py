"""My work's own records: the patent fee schedule and fee payments, the reminders sent, each
person's reminder choices and calendar key."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.validators import validate_happened_date
from tmhub.transfer.choices import IPType

PATENT_CHOICES = [(value, label) for value, label in IPType.choices
                  if value in ("invention", "utility_model", "design")]


class FeeSchedule(models.Model):
    """One band of the annual fee schedule: what a patent of a type pays for its patent years
    ``from_year``–``to_year`` (entered from the office's published schedule, with its source)."""

    ip_type = models.CharField(_("patent type"), max_length=20, choices=PATENT_CHOICES)
    from_year = models.PositiveSmallIntegerField(
        _("from patent year"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    to_year = models.PositiveSmallIntegerField(
        _("to patent year"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    amount_fen = models.BigIntegerField(_("annual fee (fen)"), validators=[MinValueValidator(1)])
    basis = models.CharField(_("source"), max_length=200)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["ip_type", "from_year"]
        verbose_name = _("annual fee band")
        verbose_name_plural = _("annual fee schedule")
        constraints = [
            models.UniqueConstraint(fields=["ip_type", "from_year"], name="mywork_fee_band"),
            models.CheckConstraint(condition=Q(to_year__gte=F("from_year")),
                                   name="mywork_fee_band_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_ip_type_display()} {self.from_year}–{self.to_year}"


class FeePayment(models.Model):
    """An annual fee paid for one patent year of an IP record: it clears that year's fee."""

    ip_record = models.ForeignKey("transfer.IPRecord", verbose_name=_("IP record"),
                                  on_delete=models.CASCADE, related_name="fee_payments")
    year = models.PositiveSmallIntegerField(
        _("patent year"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    paid_on = models.DateField(_("paid on"), validators=[validate_happened_date])
    amount_fen = models.BigIntegerField(_("amount paid (fen)"), validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["ip_record", "year"]
        verbose_name = _("annual fee payment")
        verbose_name_plural = _("annual fee payments")
        constraints = [models.UniqueConstraint(fields=["ip_record", "year"],
                                               name="mywork_fee_paid_once")]

    def __str__(self) -> str:
        return f"{self.ip_record} · {self.year}"


class ReminderSent(models.Model):
    """One reminder given: at most one per person, item and offset (the job may run twice)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="reminders_sent")
    item_key = models.CharField(_("item"), max_length=200)
    due_on = models.DateField(_("due date"))
    offset = models.CharField(_("offset"), max_length=10)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["user", "item_key", "due_on", "offset"],
                                               name="mywork_reminder_once")]

    def __str__(self) -> str:
        return f"{self.item_key} {self.offset}"


def new_calendar_key() -> str:
    return secrets.token_urlsafe(32)


class ReminderSettings(models.Model):
    """A person's reminder choices and the secret key of their calendar feed."""

    class Digest(models.TextChoices):
        NONE = "none", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly (Mondays)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="reminder_settings")
    muted_kinds = models.JSONField(_("kinds without reminders"), default=list, blank=True)
    digest = models.CharField(_("digest frequency"), max_length=10, choices=Digest.choices,
                              default=Digest.WEEKLY)
    calendar_key = models.CharField(_("calendar key"), max_length=64, unique=True,
                                    default=new_calendar_key)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)
