"""Contract pages: list, record, detail with schedule, receipts, costs and net income."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
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
from tmhub.transfer import services
from tmhub.transfer.choices import PartyRole
from tmhub.transfer.filters import ContractFilter
from tmhub.transfer.forms import (
    ContractForm,
    CostForm,
    InstallmentForm,
    ReceiptForm,
    fen_to_yuan,
)
from tmhub.transfer.models import Contract, Project
from tmhub.transfer.rewards_engine import format_fen
from tmhub.transfer.views.common import back, run_step


class ContractListView(RestrictedListView):
    model = Contract
    filterset_class = ContractFilter
    template_name = "transfer/contract_list.html"
    export_filename = "technology-contracts"

    def base_queryset(self):
        return Contract.objects.select_related("institution", "project")

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
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Contract)
        return context


@login_required
def contract_detail(request, pk):
    contract = get_restricted_or_404(Contract.objects.select_related("institution", "project"),
                                     request.user, pk=pk)
    return render(request, "transfer/contract_detail.html", {
        "contract": contract,
        "can_change": policies.allows(request.user, CHANGE, contract),
        "parties": contract.parties.select_related("organization"),
        "installments": contract.installments.all(),
        "receipts": contract.receipts.all(),
        "costs": contract.costs.all(),
        "received_fen": contract.received_fen(), "costs_fen": contract.costs_fen(),
        "net_fen": contract.net_income_fen(),
        "splits": contract.splits.restrict(request.user),
        "receipt_form": ReceiptForm(prefix="r"), "cost_form": CostForm(prefix="c"),
        "installment_form": InstallmentForm(prefix="i"),
    })


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


def _money_post(request, pk, form_class, prefix, func, success, **fixed):
    contract = get_restricted_or_404(Contract, request.user, CHANGE, pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["amount_fen"] = data.pop("amount")
        run_step(request, func, contract, success=success, **data, **fixed)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return back(contract)


@login_required
@require_POST
def contract_receipt(request, pk):
    return _money_post(request, pk, ReceiptForm, "r", services.record_receipt,
                       _("Receipt recorded."))


@login_required
@require_POST
def contract_cost(request, pk):
    return _money_post(request, pk, CostForm, "c", services.record_cost,
                       _("Deductible cost recorded."))


@login_required
@require_POST
def contract_installment(request, pk):
    return _money_post(request, pk, InstallmentForm, "i", services.add_installment,
                       _("Scheduled payment added."))

