"""技术合同: contracts, their parties and payment schedule; receipts and deductible costs."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_happened_date, validate_planned_date
from tmhub.transfer.choices import ContractKind, CostCategory, Currency, PartyRole
from tmhub.transfer.validators import validate_contract_registration


class Contract(TimeStampedModel):
    """A technology contract signed by an institution, usually as the outcome of a project."""

    number = models.CharField(_("internal number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("contract kind"), max_length=20, choices=ContractKind.choices)
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("institution"), on_delete=models.PROTECT,
        related_name="transfer_contracts",
    )
    project = models.ForeignKey(
        "transfer.Project", verbose_name=_("project"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="contracts",
    )
    amount_fen = models.BigIntegerField(_("contract amount (fen)"),
                                        validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices,
                                default=Currency.CNY)
    signed_on = models.DateField(_("signing date"), db_index=True,
                                 validators=[validate_happened_date])
    term_start = models.DateField(_("term starts"), null=True, blank=True,
                                  validators=[validate_planned_date])
    term_end = models.DateField(_("term ends"), null=True, blank=True,
                                validators=[validate_planned_date])
    registration_number = models.CharField(
        _("technology-contract registration number"), max_length=16, unique=True, null=True,
        blank=True, validators=[validate_contract_registration],
    )
    registered_on = models.DateField(_("registration date"), null=True, blank=True,
                                     validators=[validate_happened_date])
    notes = LimitedTextField(_("notes"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("transfer:contract-detail", args=[self.pk])

    # Reversing entries carry the opposite amount on the original's date, so these sums
    # follow every correction. `known_at`: the figure as the records stood at that moment
    # (rows recorded later left out), to tell whether it changed since (an approved split).
    @staticmethod
    def _as_known(rows, known_at):
        if known_at is None:
            return rows
        return rows.filter(Q(recorded_at__isnull=True) | Q(recorded_at__lte=known_at))

    def received_fen(self, until=None, known_at=None) -> int:
        receipts = self._as_known(self.receipts.all(), known_at)
        if until is not None:
            receipts = receipts.filter(received_on__lte=until)
        return receipts.aggregate(total=Sum("amount_fen"))["total"] or 0

    def costs_fen(self, until=None, known_at=None) -> int:
        costs = self._as_known(self.costs.all(), known_at)
        if until is not None:
            costs = costs.filter(incurred_on__lte=until)
        return costs.aggregate(total=Sum("amount_fen"))["total"] or 0

    def net_income_fen(self, until=None, known_at=None) -> int:
        """Receipts less deductible costs; never negative (a loss gives nothing to split)."""
        return max(self.received_fen(until, known_at) - self.costs_fen(until, known_at), 0)

    def over_amount_receipts(self):
        """Receipts, not reversed, that took the total received above the contract amount."""
        return self.receipts.effective().exclude(over_amount="")


class ContractParty(models.Model):
    """A party to a contract, taken from the organisation registry."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="parties")
    organization = models.ForeignKey("orgs.Organization", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("contract party")
        verbose_name_plural = _("contract parties")
        constraints = [models.UniqueConstraint(fields=["contract", "organization"],
                                               name="transfer_party_unique")]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Installment(models.Model):
    """One planned payment of the contract's schedule: part of the contract amount, or a
    running royalty reported by the licensee (owed on top of the amount registered)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="installments")
    due_on = models.DateField(_("due date"), validators=[validate_planned_date])
    amount_fen = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_royalty = models.BooleanField(_("running royalty"), default=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("scheduled payment")
        verbose_name_plural = _("payment schedule")

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount_fen}"


class OverAmount(models.TextChoices):
    """Why a receipt takes a contract's total received above the contract amount."""

    OVERPAYMENT = "overpayment", _("Overpayment (to be refunded or credited)")
    AMENDMENT = "amendment", _("Contract amendment (the amount is being raised)")
    # Receipts recorded before the check existed that took the total above the amount.
    UNCONFIRMED = "unconfirmed", _("Recorded before the check: not confirmed, to be reviewed")


CONFIRMABLE_OVER_AMOUNT = (OverAmount.OVERPAYMENT, OverAmount.AMENDMENT)


class MoneyQuerySet(RestrictedQuerySet):
    """Receipts and costs are append-only: a correction is a reversing entry (`reverses`, with
    the opposite amount and the original's date), so every sum of `amount_fen` already
    follows it. `effective()` is what still counts as money: originals not reversed."""

    def originals(self):
        return self.filter(reverses__isnull=True)

    def reversals(self):
        return self.filter(reverses__isnull=False)

    def effective(self):
        return self.filter(reverses__isnull=True, reversal__isnull=True)

    def total_fen(self) -> int:
        return self.aggregate(total=Sum("amount_fen"))["total"] or 0


class MoneyEntry(models.Model):
    """What receipts and costs share: an amount in fen that is never edited or deleted.

    A mistake is corrected by a reversing entry: a row that `reverses` the original once,
    with the opposite amount on the original's date (so net income and every figure of the
    original's period drop), who recorded it, when and why. The original stays visible; a
    corrected entry may then be recorded as a new original."""

    amount_fen = models.BigIntegerField(_("amount (fen)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    # Null only on rows recorded before the field existed (their audit row has the time).
    recorded_at = models.DateTimeField(_("recorded at"), null=True, default=timezone.now,
                                       editable=False)
    reverses = models.OneToOneField(
        "self", verbose_name=_("reverses"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reversal",
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    objects = MoneyQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def reversed_by(self):
        """The reversing entry of this original, or None."""
        try:
            return self.reversal
        except ObjectDoesNotExist:
            return None

    def clean(self):
        super().clean()
        if self.amount_fen is None:
            return
        if self.reverses_id is None and self.amount_fen < 1:
            raise ValidationError(
                {"amount_fen": ValidationError(_("Enter an amount above zero."),
                                               code="min_value")})

    @classmethod
    def sign_constraint(cls, name: str) -> models.CheckConstraint:
        """Originals are positive; a reversal is negative."""
        return models.CheckConstraint(
            condition=(Q(reverses__isnull=True, amount_fen__gt=0)
                       | Q(reverses__isnull=False, amount_fen__lt=0)),
            name=name,
        )


class Receipt(MoneyEntry):
    """Money actually received under a contract (in CNY fen).

    `over_amount` flags a receipt that took the total received above the contract amount:
    confirmed by whoever recorded it with a reason (`reason`), or found when the check was
    introduced (`unconfirmed`)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="receipts")
    received_on = models.DateField(_("received on"), db_index=True,
                                   validators=[validate_happened_date])
    over_amount = models.CharField(_("above the contract amount"), max_length=20,
                                   choices=OverAmount.choices, blank=True)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            MoneyEntry.sign_constraint("transfer_receipt_sign"),
            models.CheckConstraint(condition=Q(reverses__isnull=True) | Q(over_amount=""),
                                   name="transfer_receipt_reversal_not_flagged"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount_fen}"

    @property
    def date(self):
        return self.received_on


class Cost(MoneyEntry):
    """A cost deductible from the contract's income before rewards are computed."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="costs")
    incurred_on = models.DateField(_("incurred on"), validators=[validate_happened_date])
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)

    class Meta:
        ordering = ["incurred_on", "id"]
        verbose_name = _("deductible cost")
        verbose_name_plural = _("deductible costs")
        constraints = [MoneyEntry.sign_constraint("transfer_cost_sign")]

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.amount_fen}"

    @property
    def date(self):
        return self.incurred_on
