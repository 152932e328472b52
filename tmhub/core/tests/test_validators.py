"""Identifier validation and masking."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from tmhub.core.validators import mask_identifier, validate_credit_code, validate_resident_id

VALID_CODE = "91110108MA01A2B3C" + uscc.calc_check_digit("91110108MA01A2B3C0")


def test_valid_credit_code_passes():
    validate_credit_code(VALID_CODE)


def test_wrong_check_digit_is_named():
    wrong = VALID_CODE[:-1] + ("0" if VALID_CODE[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(wrong)
    assert exc.value.code == "credit_code_checksum"


@pytest.mark.parametrize("value", ["", "123", "91110108MA01A2B3C", "9111010!MA01A2B3CX"])
def test_malformed_credit_code_is_a_format_error(value):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(value)
    assert exc.value.code in {"credit_code_format", "credit_code_checksum"}


def test_resident_id_check_digit():
    body = "11010819900307123"
    valid = body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder digit
    validate_resident_id(valid)
    wrong = body + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(wrong)
    assert exc.value.code == "resident_id_checksum"


@given(st.text(alphabet="0123456789X", min_size=8, max_size=18))
def test_mask_never_reveals_the_middle(value):
    masked = mask_identifier(value)
    assert len(masked) == len(value)
    assert masked[3:-4].strip("*") == ""
    assert masked != value or len(value) == 0
