"""Patent portfolio (/my/patents/<institution>/: deadlines, fee payments, status changes) and
receivables ageing (/my/receivables/)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tmhub.core.access import get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import page_or_404
from tmhub.core.roles import Role
from tmhub.mywork import patents, portfolio, receivables
from tmhub.mywork.forms import FeePaymentForm, IPStatusForm
from tmhub.mywork.models import FeePayment, IPStatusChange
from tmhub.mywork.services import (
    IP_STATUS_MOVES,
    change_ip_status,
    record_fee_payment,
    reverse_fee_payment,
)
from tmhub.orgs.models import Organization
from tmhub.transfer.choices import IPStatus


def _institutions(scope):
    rows = Organization.objects.order_by("name")
    return rows if scope.is_municipal else rows.filter(pk__in=scope.orgs(Role.INSTITUTION_ADMIN))


@login_required
@require_GET
def patents_home(request):
    """The institutions whose portfolio the user keeps; one of them opens directly."""
    scope = get_scope(request.user)
    institutions = _institutions(scope)
    if not scope.is_municipal and institutions.count() == 1:
        return redirect("mywork:patents", institutions.first().pk)
    if not scope.is_municipal and not institutions.exists():
        raise Http404
    owners = institutions.filter(achievements__ip_records__isnull=False).distinct()
    return render(request, "mywork/patents_home.html",
                  {"page_obj": page_or_404(owners, request), "querystring": ""})


@login_required
@require_GET
def patents_portfolio(request, org_pk):
    scope = get_scope(request.user)
    organization = get_object_or_404(Organization, pk=org_pk)
    if not portfolio.may_see(scope, organization):
        raise Http404
    today = timezone.localdate()
    rows = list(portfolio.records(scope, organization))
    try:
        window = int(request.GET.get("within", "180"))
    except ValueError:
        raise Http404 from None
    if window not in portfolio.WINDOWS:
        raise Http404
    due = portfolio.upcoming(rows, today, window)
    paid = portfolio.paid_years(rows)
    changes = defaultdict(list)
    for change in IPStatusChange.objects.filter(ip_record__in=rows).select_related(
            "recorded_by"):
        changes[change.ip_record_id].append(change)
    payments = defaultdict(list)
    for payment in FeePayment.objects.filter(ip_record__in=rows).select_related(
            "recorded_by", "reversed_by").order_by("year", "recorded_at"):
        payments[payment.ip_record_id].append(payment)
    table = []
    for record in rows:
        rule = patents.term_rule(record.ip_type, record.filed_on)
        record_paid = frozenset(paid.get(record.pk, ()))
        moves = IP_STATUS_MOVES.get(record.status, set())
        table.append({"record": record, "rule": rule,
                      "term_end": patents.term_end(record.ip_type, record.filed_on),
                      "deadlines": patents.deadlines(record, today, record_paid),
                      "missed": patents.missed_fee(record, today, record_paid),
                      "changes": changes.get(record.pk, []),
                      "payments": payments.get(record.pk, []),
                      "status_form": _status_form(record, moves, today) if moves else None})
    return render(request, "mywork/patents.html", {
        "organization": organization, "due": due, "window": window,
        "windows": portfolio.WINDOWS, "counts": portfolio.window_counts(
            portfolio.upcoming(rows, today, max(portfolio.WINDOWS)), today),
        "forecast": portfolio.forecast(rows, today), "table": table, "today": today,
        "form": FeePaymentForm(initial={"paid_on": today}),
        "can_correct": organization.pk in scope.orgs(Role.INSTITUTION_ADMIN),
        "term_rules": patents.TERM_RULES, "fee_basis": patents.FEE_BASIS,
        "surcharges": list(enumerate(patents.SURCHARGE_PERCENT_BY_MONTH, start=1)),
    })


@login_required
@require_POST
def fee_pay(request, pk):
    scope = get_scope(request.user)
    record = get_object_or_404(portfolio.records(scope), pk=pk)
    form = FeePaymentForm(request.POST)
    back = redirect(f"{_portfolio_url(record)}#ip-{record.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    try:
        record_fee_payment(record, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return back
    messages.success(request, _("The annual fee of year %(year)s is recorded as paid.") % {
        "year": form.cleaned_data["year"]})
    return back


def _status_form(record, moves, today):
    form = IPStatusForm(prefix=f"status-{record.pk}", initial={"effective_on": today})
    form.fields["status"].choices = [(value, label) for value, label in IPStatus.choices
                                     if value in moves]
    return form


def _portfolio_url(record):
    from django.urls import reverse

    return reverse("mywork:patents", args=[record.achievement.owner_id])


@login_required
@require_GET
def receivables_view(request):
    scope = get_scope(request.user)
    today = timezone.localdate()
    rows = receivables.open_lines(scope)
    overdue_only = request.GET.get("overdue") == "1"
    lines = [(c, line) for c, line in rows if not overdue_only or line.overdue(today)]
    page = page_or_404(lines, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "mywork/receivables.html", {
        "ageing": receivables.ageing(rows, today), "buckets": receivables.BUCKETS,
        "page_obj": page, "paginator": page.paginator, "querystring": query.urlencode(),
        "rows": [{"contract": c, "line": line, "overdue": line.overdue(today),
                  "days": line.days_overdue(today)} for c, line in page.object_list],
        "overdue_only": overdue_only, "today": today,
    })


@login_required
@require_POST
def ip_status(request, pk):
    """Record a status change of an IP record from its card in the portfolio."""
    scope = get_scope(request.user)
    record = get_object_or_404(portfolio.records(scope).select_related("achievement"), pk=pk)
    form = IPStatusForm(request.POST, prefix=f"status-{record.pk}")
    back = redirect(f"{_portfolio_url(record)}#ip-{record.pk}")
    if form.is_valid():
        try:
            change_ip_status(record, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(record)s is now %(status)s.") % {
                "record": record, "status": record.__class__(
                    status=form.cleaned_data["status"]).get_status_display()})
            return back
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return back


@login_required
@require_POST
def fee_reverse(request, pk):
    """Reverse a recorded fee payment from the patent's card (its institution's
    administrators; a reason is required)."""
    payment = get_object_or_404(FeePayment.objects.restrict(request.user, "view").select_related(
        "ip_record__achievement"), pk=pk)
    back = redirect(f"{_portfolio_url(payment.ip_record)}#ip-{payment.ip_record_id}")
    try:
        reverse_fee_payment(payment, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return back
    messages.success(request, _("The payment of year %(year)s is reversed: the fee is owed "
                                "again.") % {"year": payment.year})
    return back
