"""Validators for Chinese identifiers (built on python-stdnum's check-digit code) and for the
range of dates the platform accepts."""

import datetime

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


def normalize_credit_code(value: str) -> str:
    """Return the compact, upper-case form of a unified social credit code (GB 32100)."""
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless `value` is a valid GB 32100 code with its check digit."""
    try:
        uscc.validate(value)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of this unified social credit code is wrong."),
            code="credit_code_checksum",
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters)."),
            code="credit_code_format",
        ) from exc


def validate_resident_id(value: str) -> None:
    """Raise ValidationError unless `value` is a valid GB 11643 resident ID number."""
    try:
        ric.validate(value)
    except stdnum_errors.InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of this resident ID number is wrong."), code="resident_id_checksum"
        ) from exc
    except stdnum_errors.ValidationError as exc:
        raise ValidationError(
            _("This is not a valid 18-digit resident ID number."), code="resident_id_format"
        ) from exc


def mask_identifier(value: str, keep_start: int = 3, keep_end: int = 4) -> str:
    """Show only the first and last characters of an identifier: 110***********1234."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


# --- dates ---------------------------------------------------------------------------------
# A date outside these bounds is a typo or a probe (income received in 9999, a deadline in 1900)
# and is refused in forms, the API, imports and services alike.

# Nothing the platform records predates the reform era: China's Patent Law took effect on
# 1985-04-01 and the Technology Contract Law on 1987-11-01; 1980 leaves a margin for older
# disclosures and rules while still refusing 1900, 0202 and the like.
EARLIEST_RECORD_DATE = datetime.date(1980, 1, 1)
# What already happened (money received, a contract signed, a patent filed, hours earned) is
# dated today at the latest; one day of slack covers time zones and an entry made just after
# midnight for "tomorrow's" paperwork.
HAPPENED_MARGIN = datetime.timedelta(days=1)
# Planned dates (deadlines, contract terms, payment schedules, patent expiry, course dates) lie
# at most 50 years ahead: the longest contract terms and patent protection (20 years) fit easily.
PLANNED_HORIZON_YEARS = 50


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _years_ahead(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateRangeValidator:
    """Refuse a date (or datetime) before `EARLIEST_RECORD_DATE` or after the latest allowed one.

    `happened=True`: an event that already took place (latest: today + HAPPENED_MARGIN);
    otherwise a planned date (latest: today + PLANNED_HORIZON_YEARS). The bounds move with
    today, so they are computed on every call (and migrations store only the kind).
    """

    def __init__(self, happened: bool = False):
        self.happened = happened

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        latest = (today + HAPPENED_MARGIN if self.happened
                  else _years_ahead(today, PLANNED_HORIZON_YEARS))
        return EARLIEST_RECORD_DATE, latest

    def __call__(self, value) -> None:
        value = _as_date(value)
        if value is None:
            return
        earliest, latest = self.bounds()
        if value < earliest:
            raise ValidationError(
                _("Enter a date on or after %(earliest)s."),
                code="date_too_early", params={"earliest": earliest.isoformat()},
            )
        if value > latest:
            if self.happened:
                raise ValidationError(
                    _("This has already happened: enter a date no later than %(latest)s."),
                    code="date_in_future", params={"latest": latest.isoformat()},
                )
            raise ValidationError(
                _("Enter a date no later than %(latest)s."),
                code="date_too_late", params={"latest": latest.isoformat()},
            )

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator) and other.happened == self.happened


validate_happened_date = DateRangeValidator(happened=True)
validate_planned_date = DateRangeValidator(happened=False)


def validate_new_deadline(value) -> None:
    """A deadline being set now (not one kept from before): in the planned range and not in
    the past. Today, in the platform's time zone (Asia/Shanghai), is the earliest: a clerk
    would never accept a deadline that has already gone by."""
    validate_planned_date(value)
    value = _as_date(value)
    today = timezone.localdate()
    if value is not None and value < today:
        raise ValidationError(
            _("This deadline has already passed: enter today (%(today)s) or a later date."),
            code="date_in_past", params={"today": today.isoformat()},
        )


def validate_past_year(value) -> None:
    """A calendar year that is over or running (an annual filing's year): 1980 to this year."""
    latest = timezone.localdate().year
    if value is None or not EARLIEST_RECORD_DATE.year <= int(value) <= latest:
        raise ValidationError(
            _("Enter a year from %(earliest)s to %(latest)s."),
            code="year_out_of_range",
            params={"earliest": EARLIEST_RECORD_DATE.year, "latest": latest},
        )


def validate_dates(values: dict, **validators) -> None:
    """Run a date validator per field of `values` (absent fields skipped) and raise one
    ValidationError naming every bad field, for services whose models carry no validators:
    ``validate_dates(data, start_date=validate_planned_date, date=validate_happened_date)``."""
    errors = {}
    for name, validator in validators.items():
        if values.get(name) is None:
            continue
        try:
            validator(values[name])
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)


# --- phone numbers ---------------------------------------------------------------------------
# Google's libphonenumber metadata (the `phonenumbers` package) decides what is a number:
# mainland numbers may be written as dialled at home (13812345678, 010-62751234, (010)6275 1234),
# others need their country code (+44 20 7946 0958). Stored in E.164: +8613812345678.

PHONE_DEFAULT_REGION = "CN"


def parse_phone(value: str):
    """The `phonenumbers.PhoneNumber` of `value` when it is a valid number, else None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(value: str) -> str:
    """`value` in E.164 (+8613812345678) when it is a valid number; otherwise unchanged (the
    validator then names it), and "" for blank input."""
    text = (value or "").strip()
    number = parse_phone(text)
    if number is None:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    """A stored number as people read it: mainland ones as dialled at home (138 1234 5678,
    010 6275 1234), others internationally (+44 20 7946 0958); an unparsable one as it is."""
    number = parse_phone(value)
    if number is None:
        return value or ""
    if number.country_code == 86:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@deconstructible
class PhoneValidator:
    """Refuse anything that is not a valid mainland or international phone number."""

    message = _(
        "Enter a valid phone number: a mainland number such as 13812345678 or 010-62751234, "
        "or an international one with its country code, such as +44 20 7946 0958."
    )

    def __call__(self, value) -> None:
        if value in (None, ""):
            return
        if parse_phone(str(value)) is None:
            raise ValidationError(self.message, code="invalid_phone")

    def __eq__(self, other):
        return isinstance(other, PhoneValidator)


validate_phone = PhoneValidator()
