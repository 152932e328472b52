"""Changes My work makes: an annual fee payment recorded (audited)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change
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
