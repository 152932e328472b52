"""Validators for Chinese identifiers, built on python-stdnum's check-digit code."""

from django.core.exceptions import ValidationError
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
