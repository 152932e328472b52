"""Running royalties (/my/royalties/): the licences with royalty terms, and per contract its
reporting periods, the reports received and the forms to enter terms, record or reverse a
report. A form that fails is shown again with its errors beside the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import page_or_404
from tmhub.mywork import royalties, services
from tmhub.mywork.forms import ReversalForm, RoyaltyReportForm, RoyaltyTermsForm
from tmhub.mywork.models import RoyaltyReport, RoyaltyTerms
from tmhub.transfer.models import Contract


@login_required
@require_GET
def royalty_list(request):
    """The contracts with running-royalty terms the reader may see, the next report of each
    and how many periods are owed; search by number or title, filter to those owing."""
    today = timezone.localdate()
    rows = RoyaltyTerms.objects.restrict(request.user, VIEW).select_related(
        "contract", "contract__institution").order_by("contract__number")
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        rows = rows.filter(Q(contract__number__icontains=query)
                           | Q(contract__title__icontains=query))
    owing_only = request.GET.get("owing") == "1"
    table = []
    for terms in rows:
        states = royalties.schedule(terms, today)
        owed = [s for s in states if s.owed(today)]
        upcoming = next((s for s in states if s.report is None), None)
        if owing_only and not owed:
            continue
        table.append({"terms": terms, "owed": len(owed),
                      "overdue": sum(1 for s in owed if s.overdue(today)),
                      "next": upcoming})
    page = page_or_404(table, request)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "mywork/royalties.html", {
        "page_obj": page, "paginator": page.paginator, "rows": page.object_list,
        "querystring": params.urlencode(), "q": query, "owing_only": owing_only,
        "today": today})


def _period_choices(states, today):
    return [(s.period.start.isoformat(),
             f"{s.period.start:%Y-%m-%d} – {s.period.end:%Y-%m-%d}")
            for s in states if s.owed(today)]


def _page(request, contract, *, terms_form=None, report_form=None, reverse_form=None,
          reverse_pk=None, status=200):
    today = timezone.localdate()
    terms = RoyaltyTerms.objects.filter(contract=contract).first()
    states = royalties.schedule(terms, today) if terms else []
    can_change = policies.allows(request.user, CHANGE, contract)
    can_correct = policies.allows(request.user, "correct_money", contract)
    reports = list(contract.royalty_reports.select_related("installment", "recorded_by",
                                                           "reversed_by"))
    return render(request, "mywork/royalty_contract.html", {
        "contract": contract, "terms": terms, "today": today, "can_change": can_change,
        "can_correct": can_correct, "reports": reports,
        "states": [{"state": s, "owed": s.owed(today), "overdue": s.overdue(today)}
                   for s in states],
        "terms_form": terms_form or RoyaltyTermsForm(instance=terms, prefix="terms"),
        "report_form": report_form or RoyaltyReportForm(
            prefix="report", periods=_period_choices(states, today),
            initial={"received_on": today}),
        "reverse_form": reverse_form or ReversalForm(prefix="reverse"),
        "reverse_pk": reverse_pk,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def royalty_contract(request, pk):
    contract = get_restricted_or_404(Contract.objects.select_related("institution"),
                                     request.user, VIEW, pk=pk)
    if request.method == "GET":
        return _page(request, contract)
    policies.require(request.user, CHANGE, contract)
    action = request.POST.get("action")
    if action == "terms":
        terms = RoyaltyTerms.objects.filter(contract=contract).first()
        form = RoyaltyTermsForm(request.POST, instance=terms, prefix="terms")
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                services.set_royalty_terms(contract, actor=request.user, **values)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The running-royalty terms are saved."))
                return redirect("mywork:royalty-contract", contract.pk)
        return _page(request, contract, terms_form=form, status=400)
    if action == "report":
        terms = get_object_or_404(RoyaltyTerms, contract=contract)
        form = RoyaltyReportForm(request.POST, prefix="report", periods=_period_choices(
            royalties.schedule(terms, timezone.localdate()), timezone.localdate()))
        if form.is_valid():
            try:
                report = services.record_royalty_report(
                    contract, actor=request.user, **{key: form.cleaned_data[key] for key in (
                        "period_start", "received_on", "net_sales_fen", "note")})
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The royalty report is recorded: a royalty of "
                                            "%(amount)s yuan is due.") % {
                    "amount": f"{report.royalty_fen / 100:,.2f}"})
                return redirect("mywork:royalty-contract", contract.pk)
        return _page(request, contract, report_form=form, status=400)
    return HttpResponseBadRequest()  # no such form on the page: a hand-made request


@login_required
@require_http_methods(["POST"])
def royalty_reverse(request, pk):
    report = get_restricted_or_404(RoyaltyReport.objects.select_related("contract"),
                                   request.user, VIEW, pk=pk)
    contract = report.contract
    policies.require(request.user, "correct_money", contract)
    form = ReversalForm(request.POST, prefix="reverse")
    if form.is_valid():
        try:
            services.reverse_royalty_report(report, actor=request.user,
                                            reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The royalty report is reversed; record the right one "
                                        "for the period."))
            return redirect("mywork:royalty-contract", contract.pk)
    return _page(request, contract, reverse_form=form, reverse_pk=report.pk, status=400)
