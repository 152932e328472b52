"""Changes My work makes: an annual fee payment recorded (audited)."""

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
