"""My work's own sources: patent deadlines and contract obligations (they belong to the
transfer module's records, so they are listed under it)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import work_items
from tmhub.core.access import CHANGE
from tmhub.mywork import (  # noqa: F401 (notices registers kinds)
    notices,
    patents,
    portfolio,
    receivables,
)
from tmhub.mywork.money import yuan

# Patent and contract deadlines become work this many days ahead.
HORIZON_DAYS = 180
TERM_HORIZON_DAYS = 90


def _own(scope, rows, field):
    """The city keeps the deadlines of its own institutions only (each institution keeps its
    own; the city's list would be every one of them)."""
    return rows.filter(**{f"{field}__in": scope.orgs()}) if scope.is_municipal else rows


@work_items.register("transfer.patent_fee", module="transfer",
                     label=gettext_lazy("Patent annual fees due"))
def patent_fees(scope):
    today = timezone.localdate()
    rows = _own(scope, portfolio.records(scope), "achievement__owner")
    for record, deadline, amount in portfolio.upcoming(rows, today, HORIZON_DAYS):
        url = reverse("mywork:patents", args=[record.achievement.owner_id]) + f"#ip-{record.pk}"
        if deadline.kind == "term_end":
            if deadline.due_on > today + datetime.timedelta(days=TERM_HORIZON_DAYS):
                continue
            yield work_items.WorkItem(
                title=_("The term of %(record)s ends") % {"record": record},
                url=url, action_label=_("Open the portfolio"), due_on=deadline.due_on,
                record=record, detail=record.achievement.title,
                extra={"deadline": "term_end"})
            continue
        detail = [record.achievement.title]
        if amount:
            detail.append(_("Fee %(amount)s yuan") % {"amount": yuan(amount)})
        if deadline.kind == "late_fee":
            detail.append(_("Late-payment period until %(date)s, surcharge %(percent)s%%") % {
                "date": deadline.late_until.isoformat(), "percent": deadline.surcharge_percent})
        yield work_items.WorkItem(
            title=_("Pay the annual fee of year %(year)s for %(record)s") % {
                "year": deadline.year, "record": record},
            url=url, action_label=_("Record the payment"), due_on=deadline.due_on,
            record=record, detail=" · ".join(detail),
            extra={"deadline": deadline.kind, "year": deadline.year})


@work_items.register("transfer.installment", module="transfer",
                     label=gettext_lazy("Contract instalments to collect"))
def installments(scope):
    from tmhub.transfer.models import Contract

    today = timezone.localdate()
    limit = today + datetime.timedelta(days=HORIZON_DAYS)
    changeable = _own(scope, work_items.restrict(Contract.objects.all(), scope, CHANGE),
                      "institution")
    ids = set(changeable.values_list("pk", flat=True))
    for contract, line in receivables.open_lines(scope):
        if contract.pk not in ids or line.due_on > limit:
            continue
        detail = _("Balance %(balance)s of %(amount)s yuan") % {
            "balance": yuan(line.balance_fen), "amount": yuan(line.amount_fen)}
        yield work_items.WorkItem(
            title=_("Collect the instalment of %(contract)s") % {"contract": contract},
            url=reverse("transfer:contract-detail", args=[contract.pk]) + "#receipt-form",
            action_label=_("Record a receipt"), due_on=line.due_on, record=line.installment,
            detail=detail, extra={"balance_fen": line.balance_fen})


@work_items.register("transfer.contract_term", module="transfer",
                     label=gettext_lazy("Contract terms ending"))
def contract_terms(scope):
    from tmhub.transfer.models import Contract

    today = timezone.localdate()
    rows = _own(scope, work_items.restrict(Contract.objects.filter(
        term_end__gte=today, term_end__lte=today + datetime.timedelta(days=TERM_HORIZON_DAYS)),
        scope, CHANGE), "institution").order_by("term_end", "pk")
    for contract in rows[:300]:
        yield work_items.WorkItem(
            title=_("The term of %(contract)s ends: renew or close it") % {"contract": contract},
            url=reverse("transfer:contract-detail", args=[contract.pk]),
            action_label=_("Open the contract"), due_on=contract.term_end, record=contract)


@work_items.register("transfer.royalty_report", module="transfer",
                     label=gettext_lazy("Royalty reports to chase"))
def royalty_reports(scope):
    """Each ended reporting period of a running royalty with no report, from the time its
    report falls within the horizon: whoever keeps the contract chases the licensee."""
    from tmhub.mywork import royalties
    from tmhub.mywork.models import RoyaltyTerms

    today = timezone.localdate()
    limit = today + datetime.timedelta(days=HORIZON_DAYS)
    terms_rows = _own(scope, work_items.restrict(
        RoyaltyTerms.objects.select_related("contract"), scope, CHANGE), "contract__institution")
    for terms in terms_rows:
        for state in royalties.schedule(terms, today):
            if state.report is not None or state.period.report_due > limit:
                continue
            yield work_items.WorkItem(
                title=_("Chase the royalty report of %(contract)s for %(start)s – %(end)s") % {
                    "contract": terms.contract, "start": state.period.start.isoformat(),
                    "end": state.period.end.isoformat()},
                url=reverse("mywork:royalty-contract", args=[terms.contract_id])
                + "#royalty-report-form",
                action_label=_("Record the report"), due_on=state.period.report_due,
                record=terms, detail=_("Royalty %(rate)s%% of net sales") % {
                    "rate": terms.rate_percent},
                extra={"period_start": state.period.start.isoformat()})


@work_items.register("transfer.patent_lapse", module="transfer",
                     label=gettext_lazy("Patents to record as lapsed"))
def patents_lapsed_unpaid(scope):
    """A patent whose annual fee went unpaid past its late-payment period has lapsed by law:
    its keeper records the lapse (or the payment the platform is missing)."""
    today = timezone.localdate()
    rows = list(_own(scope, portfolio.records(scope).filter(status="granted"),
                     "achievement__owner"))
    paid = portfolio.paid_years(rows)
    for record in rows:
        fee = patents.missed_fee(record, today, frozenset(paid.get(record.pk, ())))
        if fee is None:
            continue
        yield work_items.WorkItem(
            title=_("%(record)s: the fee of year %(year)s went unpaid") % {
                "record": record, "year": fee.year},
            url=reverse("mywork:patents", args=[record.achievement.owner_id])
            + f"#ip-{record.pk}",
            action_label=_("Record the lapse or the payment"), due_on=fee.late_until,
            record=record, detail=record.achievement.title, extra={"year": fee.year})
