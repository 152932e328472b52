"""技术合同: contracts, their parties and payment schedule; receipts and deductible costs."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
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
    notes = models.TextField(_("notes"), blank=True)
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

    def received_fen(self, until=None) -> int:
        receipts = self.receipts.all()
        if until is not None:
            receipts = receipts.filter(received_on__lte=until)
        return receipts.aggregate(total=Sum("amount_fen"))["total"] or 0

    def costs_fen(self, until=None) -> int:
        costs = self.costs.all()
        if until is not None:
            costs = costs.filter(incurred_on__lte=until)
        return costs.aggregate(total=Sum("amount_fen"))["total"] or 0

    def net_income_fen(self, until=None) -> int:
        """Receipts less deductible costs; never negative (a loss gives nothing to split)."""
        return max(self.received_fen(until) - self.costs_fen(until), 0)


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
    """One planned payment of the contract's schedule."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="installments")
    due_on = models.DateField(_("due date"), validators=[validate_planned_date])
    amount_fen = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("scheduled payment")
        verbose_name_plural = _("payment schedule")

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount_fen}"


class Receipt(models.Model):
    """Money actually received under a contract (in CNY fen)."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="receipts")
    received_on = models.DateField(_("received on"), db_index=True,
                                   validators=[validate_happened_date])
    amount_fen = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount_fen}"


class Cost(models.Model):
    """A cost deductible from the contract's income before rewards are computed."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE,
                                 related_name="costs")
    incurred_on = models.DateField(_("incurred on"), validators=[validate_happened_date])
    category = models.CharField(_("category"), max_length=20, choices=CostCategory.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["incurred_on", "id"]
        verbose_name = _("deductible cost")
        verbose_name_plural = _("deductible costs")

    def __str__(self) -> str:
        return f"{self.incurred_on} {self.amount_fen}"
