"""Reward pages: splits (draft, approve, statement) and the rules they follow."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.params import positive_int
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.transfer import services
from tmhub.transfer.choices import SplitStatus
from tmhub.transfer.filters import SplitFilter
from tmhub.transfer.forms import AllocationFormSet, SplitForm
from tmhub.transfer.models import Contract, RewardRule, RewardSplit
from tmhub.transfer.rewards_engine import Person, Shares, format_fen
from tmhub.transfer.splits import approval_preview, available_fen, default_mode_for
from tmhub.transfer.statement import statement_pdf, statement_xlsx
from tmhub.transfer.views.common import back, run_step, step_buttons
from tmhub.transfer.workflows import SPLIT_WORKFLOW

# Each step of SPLIT_WORKFLOW has its own page action (the permission matrix knows them).
STEP_URLS = {SplitStatus.APPROVED: "transfer:split-approve",
             SplitStatus.CANCELLED: "transfer:split-cancel"}


class SplitListView(RestrictedListView):
    model = RewardSplit
    filterset_class = SplitFilter
    template_name = "transfer/split_list.html"
    export_filename = "reward-splits"

    def base_queryset(self):
        return RewardSplit.objects.select_related("institution", "contract", "rule")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Statement number"), lambda s: s.number),
            ExportColumn(gettext_lazy("Institution"), lambda s: s.institution.name),
            ExportColumn(gettext_lazy("Transfer mode"), lambda s: s.get_transfer_mode_display()),
            ExportColumn(gettext_lazy("Income date"), lambda s: s.income_date),
            ExportColumn(gettext_lazy("Amount (yuan)"), lambda s: format_fen(s.amount_fen)),
            ExportColumn(gettext_lazy("Team (yuan)"), lambda s: format_fen(s.team_fen)),
            ExportColumn(gettext_lazy("Transfer office (yuan)"),
                         lambda s: format_fen(s.office_fen)),
            ExportColumn(gettext_lazy("Institution (yuan)"),
                         lambda s: format_fen(s.institution_fen)),
            ExportColumn(gettext_lazy("Status"), lambda s: s.get_status_display()),
        ]


def _visible_split(request, pk):
    return get_restricted_or_404(
        RewardSplit.objects.select_related("institution", "contract", "project", "rule",
                                           "approved_by", "created_by"), request.user, pk=pk)


@login_required
def split_detail(request, pk):
    split = _visible_split(request, pk)
    steps = step_buttons(SPLIT_WORKFLOW, split, request.user,
                         lambda target: reverse(STEP_URLS[target], args=[split.pk]))
    return render(request, "transfer/split_detail.html", {
        "split": split,
        "allocations": split.allocations.all(),
        # Approval opens its confirmation page (what will be frozen); the other steps post.
        "approve_step": next((s for s in steps if s.target == SplitStatus.APPROVED), None),
        "steps": [s for s in steps if s.target != SplitStatus.APPROVED],
        "rule": split.rule_snapshot or {},
    })


@login_required
def split_create(request):
    contract = None
    contract_id = positive_int(request.GET.get("contract") or request.POST.get("contract"))
    if contract_id:
        contract = Contract.objects.restrict(request.user, CHANGE).filter(
            pk=contract_id).first()
    policies.require(request.user, "create", RewardSplit)
    initial = {}
    people = []
    if contract is not None:
        available = available_fen(contract)
        initial = {"contract": contract, "transfer_mode": default_mode_for(contract),
                   "amount": (Decimal(available) / 100) if available > 0 else None,
                   "income_date": contract.receipts.order_by("-received_on")
                   .values_list("received_on", flat=True).first()}
        achievement = contract.project.achievements.first() if contract.project else None
        if achievement:
            people = [{"name": i.name, "contribution": i.share}
                      for i in achievement.inventors.all()]
    form = SplitForm(request.POST or None, user=request.user, initial=initial)
    formset = AllocationFormSet(request.POST or None, prefix="alloc", initial=people)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        chosen = data["contract"]
        shares = None
        if any(data[k] is not None for k in ("team_share", "office_share", "institution_share")):
            shares = Shares(data["team_share"], data["office_share"], data["institution_share"])
        recipients = [Person(f.cleaned_data["name"], f.cleaned_data["contribution"])
                      for f in formset.forms if f.cleaned_data]
        try:
            if chosen is None:
                raise ValidationError({"contract": _("Choose the contract whose income is "
                                                     "split.")}, code="required")
            split = services.create_split(
                actor=request.user, institution=chosen.institution, contract=chosen,
                transfer_mode=data["transfer_mode"], income_date=data["income_date"],
                amount_fen=data["amount"], people=recipients, shares=shares,
                profit_year=data["profit_year"], notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft split saved. The institution approves it."))
            return redirect(split)
    return render(request, "transfer/split_form.html", {"form": form, "formset": formset})


@login_required
@require_http_methods(["GET", "POST"])
def split_approve(request, pk):
    """GET: what approval will freeze (net income, each share and person, the rule and its
    legal basis), and whether the user may approve it; POST with `confirmed`: approve."""
    split = _visible_split(request, pk)
    policies.require(request.user, "approve", split)
    if split.is_frozen:
        if request.method == "POST":
            run_step(request, services.approve_split, split)  # refused: says why
        return back(split)
    if request.method == "POST" and request.POST.get("confirmed"):
        run_step(request, services.approve_split, split,
                 success=_("Approved. The split is frozen and the statement is ready."))
        return back(split)
    if request.method == "POST":
        messages.warning(request, _("Check what approval freezes, then confirm."))
        return redirect("transfer:split-approve", pk=split.pk)
    step = next((b for b in SPLIT_WORKFLOW.buttons(split, request.user)
                 if b.target == SplitStatus.APPROVED), None)
    return render(request, "transfer/split_approve.html", {
        "split": split,
        "preview": approval_preview(split),
        "step": step,
    })


@login_required
@require_POST
def split_cancel(request, pk):
    split = get_restricted_or_404(RewardSplit, request.user, CHANGE, pk=pk)
    run_step(request, services.cancel_split, split, reason=request.POST.get("reason", ""),
             success=_("Draft cancelled."))
    return back(split)


def _statement(request, pk, fmt):
    split = _visible_split(request, pk)
    if not split.has_statement:
        messages.error(request, _("A statement exists only for an approved split."))
        return back(split)
    if fmt == "pdf":
        content, mime = statement_pdf(split), "application/pdf"
    else:
        content = statement_xlsx(split)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{split.number}.{fmt}"'
    return response


@login_required
def split_pdf(request, pk):
    return _statement(request, pk, "pdf")


@login_required
def split_xlsx(request, pk):
    return _statement(request, pk, "xlsx")


def rule_list(request):
    rules = RewardRule.objects.restrict(request.user).select_related("institution")
    return render(request, "transfer/rule_list.html", {"rules": rules})


def rule_detail(request, pk):
    rule = get_restricted_or_404(RewardRule.objects.select_related("institution"), request.user,
                                 pk=pk)
    return render(request, "transfer/rule_detail.html", {"rule": rule})

