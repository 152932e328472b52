"""My work's own records: the patent fee schedule and fee payments, the status changes of IP
records, the running-royalty terms of contracts and the royalty reports received, the reminders
sent, each person's reminder choices and calendar key."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.validators import validate_happened_date, validate_planned_date
from tmhub.transfer.choices import IPStatus, IPType

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
    """An annual fee paid for one patent year of an IP record: it clears that year's fee.
    Never edited: a wrong one is reversed with a reason by the institution's administrators
    (it stays in the history and the fee is owed again) and the right one recorded."""

    ip_record = models.ForeignKey("transfer.IPRecord", verbose_name=_("IP record"),
                                  on_delete=models.CASCADE, related_name="fee_payments")
    year = models.PositiveSmallIntegerField(
        _("patent year"), validators=[MinValueValidator(1), MaxValueValidator(20)])
    paid_on = models.DateField(_("paid on"), validators=[validate_happened_date])
    amount_fen = models.BigIntegerField(_("amount paid (fen)"), validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reversed by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["ip_record", "year", "recorded_at"]
        verbose_name = _("annual fee payment")
        verbose_name_plural = _("annual fee payments")
        # One standing payment per patent year; reversed ones stay beside it as history.
        constraints = [models.UniqueConstraint(fields=["ip_record", "year"],
                                               condition=Q(reversed_at__isnull=True),
                                               name="mywork_fee_paid_once")]

    def __str__(self) -> str:
        return f"{self.ip_record} · {self.year}"


class IPStatusChange(models.Model):
    """A change of an IP record's status (granted, lapsed, abandoned, restored…) on the day it
    took effect, with the reason and who recorded it: the record's status history."""

    ip_record = models.ForeignKey("transfer.IPRecord", verbose_name=_("IP record"),
                                  on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("previous status"), max_length=12, choices=IPStatus.choices)
    to_status = models.CharField(_("new status"), max_length=12, choices=IPStatus.choices)
    effective_on = models.DateField(_("effective date"), validators=[validate_happened_date])
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["ip_record", "effective_on", "recorded_at", "pk"]
        verbose_name = _("IP status change")
        verbose_name_plural = _("IP status changes")

    def __str__(self) -> str:
        return (f"{self.ip_record} · {self.get_from_status_display()} → "
                f"{self.get_to_status_display()}")


class RoyaltyTerms(models.Model):
    """The running royalty of a licence (提成): a rate on the licensee's net sales, reported
    for each period of ``period_months`` from ``first_period_start``, the report due within
    ``report_within_days`` of the period's end and the royalty payable ``payment_within_days``
    after the report."""

    contract = models.OneToOneField("transfer.Contract", verbose_name=_("contract"),
                                    on_delete=models.CASCADE, related_name="royalty_terms")
    rate_percent = models.DecimalField(
        _("royalty rate (% of net sales)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0.01), MaxValueValidator(100)])
    period_months = models.PositiveSmallIntegerField(
        _("reporting period"), choices=[(3, _("Quarterly")), (6, _("Half-yearly")),
                                        (12, _("Yearly"))], default=12)
    first_period_start = models.DateField(_("first period starts"),
                                          validators=[validate_planned_date])
    report_within_days = models.PositiveSmallIntegerField(
        _("report due within (days after the period)"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)])
    payment_within_days = models.PositiveSmallIntegerField(
        _("royalty payable within (days after the report)"), default=30,
        validators=[MinValueValidator(0), MaxValueValidator(365)])
    ends_on = models.DateField(_("royalties end"), null=True, blank=True,
                               validators=[validate_planned_date],
                               help_text=_("Empty: at the end of the contract's term."))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("running royalty terms")
        verbose_name_plural = _("running royalty terms")

    def __str__(self) -> str:
        return f"{self.contract} · {self.rate_percent}%"


class RoyaltyReport(models.Model):
    """A licensee's royalty report for one period: the net sales it declares and the royalty
    they make at the contract's rate, added to the contract's payment schedule as an
    instalment (which receipts then clear). Never edited: a wrong report is reversed with a
    reason (its instalment leaves the schedule) and the right one recorded."""

    contract = models.ForeignKey("transfer.Contract", verbose_name=_("contract"),
                                 on_delete=models.CASCADE, related_name="royalty_reports")
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    received_on = models.DateField(_("date received"), validators=[validate_happened_date])
    net_sales_fen = models.BigIntegerField(_("net sales declared (fen)"),
                                           validators=[MinValueValidator(0)])
    rate_percent = models.DecimalField(_("royalty rate (% of net sales)"), max_digits=5,
                                       decimal_places=2)
    royalty_fen = models.BigIntegerField(_("royalty (fen)"), validators=[MinValueValidator(0)])
    installment = models.OneToOneField("transfer.Installment", verbose_name=_("instalment"),
                                       null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="royalty_report")
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reversed by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reversal_reason = models.CharField(_("reason for the reversal"), max_length=500, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "period_start", "recorded_at"]
        verbose_name = _("royalty report")
        verbose_name_plural = _("royalty reports")
        constraints = [
            # One standing report per period; reversed ones stay beside it as history.
            models.UniqueConstraint(fields=["contract", "period_start"],
                                    condition=Q(reversed_at__isnull=True),
                                    name="mywork_royalty_report_once"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="mywork_royalty_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


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
