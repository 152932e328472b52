"""Cohort, assessment and external-hours dates outside a sensible range are refused with a
field error (issue 9 item 8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tmhub.training import services
from tmhub.training.models import Assessment, Cohort, ExternalHours
from tmhub.training.tests.helpers import given_cohort, given_programme, given_provider

pytestmark = pytest.mark.django_db

FAR_FUTURE = datetime.date(9999, 12, 31)
LONG_AGO = datetime.date(1900, 1, 1)


@pytest.fixture
def programme(personas):
    return given_programme(personas, given_provider(personas))


def _fields(exc):
    return {name: errors[0].code for name, errors in exc.error_dict.items()}


@pytest.mark.parametrize("dates,field", [
    ({"start_date": LONG_AGO, "end_date": datetime.date(2025, 1, 1)}, "start_date"),
    ({"start_date": datetime.date(2025, 1, 1), "end_date": FAR_FUTURE}, "end_date"),
    ({"start_date": datetime.date(2025, 1, 1), "end_date": datetime.date(2025, 2, 1),
      "enrolment_deadline": LONG_AGO}, "enrolment_deadline"),
])
def test_cohort_dates_outside_the_range_are_refused(personas, programme, dates, field):
    with pytest.raises(ValidationError) as caught:
        services.create_cohort(actor=personas.municipal_admin, programme=programme,
                               code="c-bad", title="班", capacity=10, **dates)
    assert field in _fields(caught.value)
    assert not Cohort.objects.filter(code="c-bad").exists()


def test_a_cohort_cannot_be_moved_to_9999(personas, programme):
    cohort = given_cohort(personas, programme, open_it=False)
    with pytest.raises(ValidationError) as caught:
        services.update_cohort(cohort, actor=personas.municipal_admin, end_date=FAR_FUTURE)
    assert _fields(caught.value) == {"end_date": "date_too_late"}
    with pytest.raises(ValidationError):
        services.update_cohort(cohort, actor=personas.municipal_admin,
                               enrolment_deadline=LONG_AGO)
    assert Cohort.objects.get(pk=cohort.pk).end_date == cohort.end_date


def test_an_assessment_dated_9999_is_refused(personas, programme):
    cohort = given_cohort(personas, programme, open_it=False)
    with pytest.raises(ValidationError) as caught:
        services.add_assessment(cohort, actor=personas.municipal_admin, title="考试",
                                date=FAR_FUTURE, max_score=100, pass_score=60)
    assert _fields(caught.value) == {"date": "date_too_late"}
    assert not Assessment.objects.exists()


def test_hours_earned_in_the_future_are_refused(personas):
    with pytest.raises(ValidationError) as caught:
        services.record_external_hours(actor=personas.institution_admin,
                                       trainee=personas.manager, date=FAR_FUTURE,
                                       title="会议", hours=4)
    assert _fields(caught.value) == {"date": "date_in_future"}
    assert not ExternalHours.objects.exists()
