"""Changes My work makes (each audited): an annual fee payment recorded, an IP record's status
changed, a contract's running-royalty terms entered and its royalty reports recorded or reversed."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.mywork import patents
from tmhub.mywork.models import FeePayment


def record_fee_payment(ip_record, *, actor, year: int, paid_on, amount_fen: int) -> FeePayment:
    """Record that the annual fee of patent year ``year`` was paid: the fee leaves everyone's
    My work. Only by who keeps the patent (FeePaymentPolicy), for a year the patent owes."""
    payment = FeePayment(ip_record=ip_record, year=year, paid_on=paid_on,
                         amount_fen=amount_fen, recorded_by=actor_user(actor))
    policies.require(actor, "change", ip_record.achievement)
    owed = {fee.year for fee in patents.annual_fees(ip_record.ip_type, ip_record.filed_on,
                                                     ip_record.granted_on)}
    if year not in owed:
        raise ValidationError({"year": ValidationError(
            _("This patent owes no annual fee for that year."), code="not_owed")})
    payment.full_clean()
    try:
        with transaction.atomic():
            payment.save()
            record_change(actor=actor, obj=payment, action=ObjectChange.Action.CREATE,
                          before=None, related=ip_record.achievement)
    except IntegrityError as exc:
        raise ValidationError({"year": ValidationError(
            _("The fee of this year is recorded as paid already."), code="already_paid")}) from exc
    return payment


@transaction.atomic
def reverse_fee_payment(payment, *, actor, reason: str) -> FeePayment:
    """Withdraw a wrongly recorded fee payment (the institution's administrators, with a
    reason): it stays in the history marked reversed and the fee of its year is owed again,
    so the right payment can be recorded."""
    from django.utils import timezone

    policies.require(actor, "correct", payment)
    payment = FeePayment.objects.select_for_update().get(pk=payment.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the payment is reversed."),
                                                         code="required")})
    if payment.reversed_at is not None:
        raise ValidationError(_("This payment is reversed already."))
    before = snapshot(payment)
    payment.reversed_at, payment.reversed_by = timezone.now(), actor_user(actor)
    payment.reversal_reason = reason
    payment.save()
    record_change(actor=actor, obj=payment, action=ObjectChange.Action.UPDATE, before=before,
                  related=payment.ip_record.achievement)
    return payment


def add_fee_band(*, actor, ip_type, from_year, to_year, amount_fen, basis):
    """Enter one band of the annual fee schedule (the city; audited)."""
    from tmhub.mywork.models import FeeSchedule

    policies.require(actor, "administer", FeeSchedule)
    band = FeeSchedule(ip_type=ip_type, from_year=from_year, to_year=to_year,
                       amount_fen=amount_fen, basis=basis)
    band.full_clean()
    with transaction.atomic():
        band.save()
        record_change(actor=actor, obj=band, action=ObjectChange.Action.CREATE, before=None)
    return band


def _settings_row(user):
    from tmhub.mywork.models import ReminderSettings

    row = ReminderSettings.objects.select_for_update().filter(user=user).first()
    return row, (snapshot(row) if row is not None else None)


@transaction.atomic
def set_reminder_settings(user, *, actor, muted_kinds, digest):
    """A person's own reminder choices: which kinds of work are not reminded, which digest."""
    from tmhub.mywork.models import ReminderSettings

    if actor_user(actor) != user:
        from django.http import Http404

        raise Http404
    row, before = _settings_row(user)
    row = row or ReminderSettings(user=user)
    row.muted_kinds, row.digest = sorted(set(muted_kinds)), digest
    row.full_clean()
    row.save()
    record_change(actor=actor, obj=row, before=before,
                  action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
    return row


@transaction.atomic
def calendar_settings(user, *, actor, reset: bool = False):
    """The person's settings row with a calendar key; ``reset`` issues a new key (the old
    address stops answering at once)."""
    from tmhub.mywork.models import ReminderSettings, new_calendar_key

    row, before = _settings_row(user)
    if row is not None and not reset:
        return row
    if actor_user(actor) != user:
        from django.http import Http404

        raise Http404
    row = row or ReminderSettings(user=user)
    row.calendar_key = new_calendar_key()
    row.save()
    record_change(actor=actor, obj=row, before=before,
                  action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
    return row


# Which status an IP record may move to from each status, by the life of a right at CNIPA:
# an application is published, granted or rejected, or the applicant withdraws it
# (abandoned); a granted right lapses (fees unpaid, term ended) or its holder abandons it;
# a lapsed right is restored on request (专利法实施细则第六条); a rejection reversed on
# re-examination sends the application back to examination. Other rights are registered.
IP_STATUS_MOVES = {
    "filed": {"published", "granted", "rejected", "abandoned", "registered"},
    "published": {"granted", "rejected", "abandoned"},
    "granted": {"lapsed", "abandoned"},
    "lapsed": {"granted"},
    "rejected": {"published"},
    "registered": {"lapsed", "abandoned"},
    "abandoned": set(),
}
# Moves that need a reason in the record (every move but the ordinary course of examination).
IP_MOVES_WITH_REASON = {("granted", "lapsed"), ("granted", "abandoned"), ("lapsed", "granted"),
                        ("rejected", "published"), ("registered", "lapsed"),
                        ("registered", "abandoned"), ("filed", "abandoned"),
                        ("published", "abandoned")}


@transaction.atomic
def change_ip_status(ip_record, *, actor, status: str, effective_on, reason: str = ""):
    """Record that ``ip_record`` became ``status`` on ``effective_on``: the record's status
    (and its grant date, when granted for the first time) change and the change joins its
    status history. A lapsed or abandoned patent owes no more fees: it leaves My work."""
    from tmhub.mywork.models import IPStatusChange
    from tmhub.transfer.models import IPRecord

    policies.require(actor, "change", ip_record.achievement)
    record = IPRecord.objects.select_for_update().get(pk=ip_record.pk)
    reason = (reason or "").strip()
    if status not in IP_STATUS_MOVES.get(record.status, set()):
        raise ValidationError({"status": ValidationError(
            _("An IP record that is %(current)s cannot become %(new)s.") % {
                "current": record.get_status_display(),
                "new": IPRecord(status=status).get_status_display()}, code="not_allowed")})
    if (record.status, status) in IP_MOVES_WITH_REASON and not reason:
        raise ValidationError({"reason": ValidationError(
            _("Say why (the office's notice, the decision or the holder's request)."),
            code="required")})
    if effective_on is None:
        raise ValidationError({"effective_on": ValidationError(
            _("Enter the date the change took effect."), code="required")})
    if record.filed_on and effective_on < record.filed_on:
        raise ValidationError({"effective_on": ValidationError(
            _("The change cannot take effect before the filing date."), code="before_filing")})
    last = record.status_changes.order_by("-effective_on").first()
    if last is not None and effective_on < last.effective_on:
        raise ValidationError({"effective_on": ValidationError(
            _("The change cannot take effect before the last recorded change (%(date)s).")
            % {"date": last.effective_on.isoformat()}, code="before_last")})
    before = snapshot(record)
    change = IPStatusChange(ip_record=record, from_status=record.status, to_status=status,
                            effective_on=effective_on, reason=reason,
                            recorded_by=actor_user(actor))
    change.full_clean()
    record.status = status
    if status == "granted" and record.granted_on is None:
        record.granted_on = effective_on
    record.full_clean()
    record.save()
    change.save()
    record_change(actor=actor, obj=record, action=ObjectChange.Action.UPDATE, before=before,
                  related=record.achievement)
    record_change(actor=actor, obj=change, action=ObjectChange.Action.CREATE, before=None,
                  related=record.achievement)
    return change


@transaction.atomic
def set_royalty_terms(contract, *, actor, **values):
    """Enter or change a contract's running-royalty terms (who may change the contract).
    Reports already received keep the rate they were made at."""
    from tmhub.mywork.models import RoyaltyTerms

    policies.require(actor, "change", contract)
    terms = RoyaltyTerms.objects.select_for_update().filter(contract=contract).first()
    before = snapshot(terms) if terms is not None else None
    terms = terms or RoyaltyTerms(contract=contract)
    for key, value in values.items():
        setattr(terms, key, value)
    terms.full_clean()
    end = terms.ends_on or contract.term_end
    if end is not None and end < terms.first_period_start:
        raise ValidationError({"ends_on": ValidationError(
            _("The royalties cannot end before the first period starts."), code="order")})
    if contract.signed_on and terms.first_period_start < contract.signed_on:
        raise ValidationError({"first_period_start": ValidationError(
            _("The first period cannot start before the contract was signed."),
            code="before_signing")})
    terms.save()
    record_change(actor=actor, obj=terms, before=before, related=contract,
                  action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
    return terms


@transaction.atomic
def record_royalty_report(contract, *, actor, period_start, received_on, net_sales_fen: int,
                          note: str = ""):
    """Record the licensee's royalty report for the period starting ``period_start``: the
    royalty at the contract's rate joins the payment schedule as an instalment due
    ``payment_within_days`` after the report was received, so receipts clear it and the
    ageing counts it."""
    from tmhub.mywork import royalties
    from tmhub.mywork.models import RoyaltyReport, RoyaltyTerms
    from tmhub.transfer.models import Contract
    from tmhub.transfer.services.contracts import add_installment

    policies.require(actor, "change", contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    terms = RoyaltyTerms.objects.filter(contract=contract).first()
    if terms is None:
        raise ValidationError(_("Enter the contract's running-royalty terms first."))
    period = royalties.period_for(terms, period_start)
    if period is None:
        raise ValidationError({"period_start": ValidationError(
            _("Choose one of the contract's reporting periods."), code="invalid_choice")})
    if received_on is not None and received_on <= period.end:
        raise ValidationError({"received_on": ValidationError(
            _("A report for this period can only be received after it ends (%(date)s).")
            % {"date": period.end.isoformat()}, code="before_period_end")})
    if contract.royalty_reports.filter(period_start=period.start,
                                       reversed_at__isnull=True).exists():
        raise ValidationError({"period_start": ValidationError(
            _("A report for this period is recorded already: reverse it to record another."),
            code="duplicate")})
    report = RoyaltyReport(contract=contract, period_start=period.start,
                           period_end=period.end, received_on=received_on,
                           net_sales_fen=net_sales_fen, rate_percent=terms.rate_percent,
                           royalty_fen=royalties.royalty_fen(net_sales_fen, terms.rate_percent),
                           note=note.strip(), recorded_by=actor_user(actor))
    report.full_clean()
    if report.royalty_fen > 0:
        report.installment = add_installment(
            contract, actor=actor,
            due_on=received_on + datetime.timedelta(days=terms.payment_within_days),
            amount_fen=report.royalty_fen, is_royalty=True,
            description=_("Royalty for %(start)s – %(end)s") % {
                "start": period.start.isoformat(), "end": period.end.isoformat()})
    report.save()
    record_change(actor=actor, obj=report, action=ObjectChange.Action.CREATE, before=None,
                  related=contract)
    return report


@transaction.atomic
def reverse_royalty_report(report, *, actor, reason: str):
    """Withdraw a wrong royalty report (an institution administrator, with a reason): it stays
    in the history marked reversed, its instalment leaves the payment schedule, and the right
    report can then be recorded for the period."""
    from django.utils import timezone

    from tmhub.mywork.models import RoyaltyReport

    policies.require(actor, "correct_money", report.contract)
    report = RoyaltyReport.objects.select_for_update().get(pk=report.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the report is reversed."),
                                                         code="required")})
    if report.reversed_at is not None:
        raise ValidationError(_("This report is reversed already."))
    before = snapshot(report)
    installment = report.installment
    report.reversed_at, report.reversed_by = timezone.now(), actor_user(actor)
    report.reversal_reason, report.installment = reason, None
    report.save()
    if installment is not None:
        record_change(actor=actor, obj=installment, action=ObjectChange.Action.DELETE,
                      before=snapshot(installment), related=report.contract)
        installment.delete()
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.contract)
    return report
