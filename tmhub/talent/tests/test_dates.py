"""Annual filings open only for a year that is over or running (issue 9 item 8)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tmhub.talent import filing
from tmhub.talent.models import AnnualFiling

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [9999, 1900, timezone.localdate().year + 1])
def test_filings_cannot_open_for_a_year_outside_the_range(personas, year):
    with pytest.raises(ValidationError) as caught:
        filing.open_filings(year, actor=personas.municipal_admin)
    assert caught.value.code == "year_out_of_range"
    assert not AnnualFiling.objects.exists()


def test_filings_open_for_last_year(personas):
    assert filing.open_filings(timezone.localdate().year - 1,
                               actor=personas.municipal_admin) == 0
