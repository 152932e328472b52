"""Validators for Chinese patent numbers and technology-contract registration numbers."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tmhub.transfer.choices import IPType

# CNIPA application numbers: ZL/CN + 12 digits (since Oct 2003) or 8 digits (before),
# a dot and a check digit (0-9 or X).
_APPLICATION = re.compile(r"^(?:ZL|CN)?(\d{12}|\d{8})\.?([0-9X])$")
# Publication / grant numbers: CN + 7-9 digits + kind code (A, B, C, U, Y, S) + optional digit.
_PUBLICATION = re.compile(r"^CN(\d{7,9})([ABCUYS])\d?$")
_APP_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)

# The fifth digit of a 12-digit application number names the kind of patent.
_TYPE_DIGITS = {
    IPType.INVENTION: {"1", "8"},
    IPType.UTILITY_MODEL: {"2", "9"},
    IPType.DESIGN: {"3"},
}
_KIND_CODES = {
    IPType.INVENTION: {"A", "B", "C"},
    IPType.UTILITY_MODEL: {"U", "Y"},
    IPType.DESIGN: {"S"},
}


def normalize_patent_number(value: str) -> str:
    """Upper-case, without spaces; the dot before the check digit is kept or added."""
    value = re.sub(r"\s+", "", value or "").upper()
    match = _APPLICATION.match(value)
    if match:
        prefix = "CN" if value.startswith("CN") else ("ZL" if value.startswith("ZL") else "")
        return f"{prefix}{match.group(1)}.{match.group(2)}"
    return value


def patent_check_digit(digits: str) -> str:
    """The CNIPA check digit of an application number's 8 or 12 leading digits."""
    total = sum(int(d) * w for d, w in zip(digits, _APP_WEIGHTS, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_patent_number(value: str, ip_type: str | None = None) -> None:
    """Accept a CNIPA application number (check digit verified) or a publication number."""
    value = normalize_patent_number(value)
    match = _APPLICATION.match(value)
    if match:
        digits, check = match.groups()
        if patent_check_digit(digits) != check:
            raise ValidationError(
                _("The check digit of this patent application number is wrong."),
                code="patent_checksum",
            )
        if len(digits) == 12 and ip_type in _TYPE_DIGITS and digits[4] not in _TYPE_DIGITS[ip_type]:
            raise ValidationError(
                _("This application number is not of the selected patent type."),
                code="patent_type_mismatch",
            )
        return
    match = _PUBLICATION.match(value)
    if match:
        if ip_type in _KIND_CODES and match.group(2) not in _KIND_CODES[ip_type]:
            raise ValidationError(
                _("This publication number is not of the selected patent type."),
                code="patent_type_mismatch",
            )
        return
    raise ValidationError(
        _("Enter a CNIPA application number such as 202310123456.6 or a publication number "
          "such as CN115123456A."),
        code="patent_format",
    )


# 技术合同登记号: year (4) + registration-office region code (6) + serial (6).
_REGISTRATION = re.compile(r"^(19|20)\d{2}\d{6}\d{6}$")


def validate_contract_registration(value: str) -> None:
    if value and not _REGISTRATION.match(value):
        raise ValidationError(
            _("A technology-contract registration number has 16 digits: year, region code of "
              "the registration office and serial, e.g. 2024110108000123."),
            code="registration_format",
        )
