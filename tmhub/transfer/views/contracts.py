"""Contract pages: list, record, detail with schedule, receipts, costs and net income."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.params import positive_int
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.transfer import money, services
from tmhub.transfer.choices import PartyRole
from tmhub.transfer.filters import ContractFilter
from tmhub.transfer.forms import (
    ContractForm,
    CostForm,
    InstallmentForm,
    ReceiptForm,
    ReversalForm,
    fen_to_yuan,
)
from tmhub.transfer.models import Contract, Cost, Project, Receipt
from tmhub.transfer.rewards_engine import format_fen
from tmhub.transfer.views.common import back, run_step


class ContractListView(RestrictedListView):
    model = Contract
    filterset_class = ContractFilter
    template_name = "transfer/contract_list.html"
    export_filename = "technology-contracts"

    def base_queryset(self):
        flagged = Receipt.objects.effective().exclude(over_amount="")
        return Contract.objects.select_related("institution", "project").annotate(
            over_amount=Exists(flagged.filter(contract=OuterRef("pk"))))

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Number"), lambda c: c.number),
            ExportColumn(gettext_lazy("Title"), lambda c: c.title),
            ExportColumn(gettext_lazy("Contract kind"), lambda c: c.get_kind_display()),
            ExportColumn(gettext_lazy("Institution"), lambda c: c.institution.name),
            ExportColumn(gettext_lazy("Amount (yuan)"), lambda c: format_fen(c.amount_fen)),
            ExportColumn(gettext_lazy("Currency"), lambda c: c.currency),
            ExportColumn(gettext_lazy("Signing date"), lambda c: c.signed_on),
            ExportColumn(gettext_lazy("Registration number"), lambda c: c.registration_number),
            ExportColumn(gettext_lazy("Received above the contract amount"),
                         lambda c: gettext_lazy("yes") if c.over_amount else ""),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Contract)
        return context


def _detail_context(request, contract, **forms):
    can_change = policies.allows(request.user, CHANGE, contract)
    can_correct = policies.allows(request.user, "correct_money", contract)
    splits = list(contract.splits.restrict(request.user))
    for split in splits:
        split.income_changed = money.income_change_since(split)
    entries = ("recorded_by", "reverses", "reversal__recorded_by")
    return {
        "contract": contract,
        "can_change": can_change,
        "can_correct": can_correct,
        "parties": contract.parties.select_related("organization"),
        "installments": contract.installments.all(),
        "receipts": contract.receipts.select_related(*entries),
        "costs": contract.costs.select_related(*entries),
        "received_fen": contract.received_fen(), "costs_fen": contract.costs_fen(),
        "net_fen": contract.net_income_fen(),
        "over_amount_receipts": contract.over_amount_receipts(),
        "splits": splits,
        "receipt_form": forms.get("receipt_form") or ReceiptForm(prefix="r"),
        "cost_form": forms.get("cost_form") or CostForm(prefix="c"),
        "installment_form": InstallmentForm(prefix="i"),
        "reversal_form": ReversalForm(prefix="x"),
    }


@login_required
def contract_detail(request, pk):
    contract = get_restricted_or_404(Contract.objects.select_related("institution", "project"),
                                     request.user, pk=pk)
    return render(request, "transfer/contract_detail.html", _detail_context(request, contract))


@login_required
def contract_create(request):
    policies.require(request.user, "create", Contract)
    initial = {}
    project_id = positive_int(request.GET.get("project"))
    if project_id:
        project = Project.objects.restrict(request.user, CHANGE).filter(pk=project_id).first()
        if project:
            initial = {"project": project, "institution": project.institution,
                       "title": project.title}
    form = ContractForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [(data["institution"], PartyRole.SELLER),
                   (data["counterparty"], PartyRole.BUYER)]
        try:
            contract = services.create_contract(
                actor=request.user, institution=data["institution"], project=data["project"],
                parties=parties, **form.service_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contract recorded."))
            return redirect(contract)
    return render(request, "transfer/contract_form.html", {"form": form})


@login_required
def contract_edit(request, pk):
    """Correct a recorded contract; its institution stays, the counterparty may change."""
    contract = get_restricted_or_404(Contract, request.user, CHANGE, pk=pk)
    buyer = contract.parties.filter(role=PartyRole.BUYER).first()
    form = ContractForm(request.POST or None, instance=contract, user=request.user, initial={
        "amount": fen_to_yuan(contract.amount_fen),
        "counterparty": buyer.organization_id if buyer else None,
    })
    del form.fields["institution"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parties = [(contract.institution, PartyRole.SELLER),
                   (data["counterparty"], PartyRole.BUYER)]
        try:
            contract = services.update_contract(
                Contract.objects.get(pk=pk), actor=request.user, parties=parties,
                project=data["project"], **form.service_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(contract)
    return render(request, "transfer/contract_form.html", {"form": form, "contract": contract})


# Service fields as the forms name them (money is typed in yuan).
FORM_FIELD = {"amount_fen": "amount"}


def _record_money(request, pk, form_class, prefix, func, success, form_key):
    """Record a receipt or a cost; a refusal shows the page again with the message next to
    the field it concerns (the over-amount confirmation included)."""
    contract = get_restricted_or_404(Contract.objects.select_related("institution", "project"),
                                     request.user, CHANGE, pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["amount_fen"] = data.pop("amount")
        try:
            func(contract, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, _renamed(exc))
        else:
            messages.success(request, success)
            return back(contract)
    messages.error(request, _("Nothing was recorded: see the form below."))
    return render(request, "transfer/contract_detail.html",
                  _detail_context(request, contract, **{form_key: form}))


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({FORM_FIELD.get(k, k): v for k, v in exc.error_dict.items()})


@login_required
@require_POST
def contract_receipt(request, pk):
    return _record_money(request, pk, ReceiptForm, "r", services.record_receipt,
                         _("Receipt recorded."), "receipt_form")


@login_required
@require_POST
def contract_cost(request, pk):
    return _record_money(request, pk, CostForm, "c", services.record_cost,
                         _("Deductible cost recorded."), "cost_form")


@login_required
@require_POST
def contract_installment(request, pk):
    contract = get_restricted_or_404(Contract, request.user, CHANGE, pk=pk)
    form = InstallmentForm(request.POST, prefix="i")
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["amount_fen"] = data.pop("amount")
        run_step(request, services.add_installment, contract,
                 success=_("Scheduled payment added."), **data)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return back(contract)


def _reverse_entry(request, model, pk, func, success):
    """Reverse a receipt or a cost (the institution's administrators, with a reason)."""
    entry = get_restricted_or_404(model.objects.select_related("contract"), request.user, pk=pk)
    form = ReversalForm(request.POST, prefix="x")
    if form.is_valid():
        run_step(request, func, entry, success=success, reason=form.cleaned_data["reason"])
    else:
        messages.error(request, _("Say why the entry is reversed."))
    return back(entry.contract)


@login_required
@require_POST
def receipt_reverse(request, pk):
    return _reverse_entry(request, Receipt, pk, services.reverse_receipt,
                          _("Receipt reversed: the original stays listed, struck through."))


@login_required
@require_POST
def cost_reverse(request, pk):
    return _reverse_entry(request, Cost, pk, services.reverse_cost,
                          _("Cost reversed: the original stays listed, struck through."))
