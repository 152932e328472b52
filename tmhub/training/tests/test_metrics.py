"""The class-hour figures of the metrics registry: set-based, one definition, filed rounded."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tmhub.core import metrics
from tmhub.training import services
from tmhub.training.tests.helpers import attend_all, given_manager, given_running_cohort

pytestmark = pytest.mark.django_db


def _year(sessions):
    return metrics.Period.year(sessions[0].date.year)


def test_hours_of_many_managers_take_the_same_queries_as_of_one(
    personas, django_assert_num_queries
):
    # Given three trainees with cohort hours, one with hours recorded elsewhere too
    people = [given_manager(personas, f"h{i}") for i in range(3)]
    _cohort, enrolments, sessions, _exam = given_running_cohort(personas, people)
    attend_all(personas, sessions[:1], enrolments)  # 12 hours each
    services.record_attendance(
        sessions[1],
        {enrolments[0].pk: "late", enrolments[1].pk: "absent"},
        actor=personas.municipal_admin,
    )  # late earns the 8 hours
    services.record_external_hours(
        actor=personas.institution_admin,
        trainee=people[2],
        date=sessions[0].date,
        title="研讨会",
        hours=Decimal("2.5"),
    )
    exact = metrics.get("continuing_education_hours")
    ids = [p.pk for p in people] + [personas.outsider.pk]
    # When the figure is asked for one and for four people, then two queries answer either
    with django_assert_num_queries(2):
        exact.values(ids[:1], _year(sessions))
    with django_assert_num_queries(2):
        values = exact.values(ids, _year(sessions))
    # and each gets their own hours, the outsider zero
    assert values == {
        ids[0]: Decimal("20"),
        ids[1]: Decimal("12"),
        ids[2]: Decimal("14.5"),
        ids[3]: Decimal("0"),
    }


def test_the_filed_figure_rounds_each_manager_half_up(personas):
    a, b = given_manager(personas, "ra"), given_manager(personas, "rb")
    day = datetime.date(2025, 3, 4)
    for person, hours in ((a, "2.5"), (b, "2.4")):
        services.record_external_hours(
            actor=personas.institution_admin,
            trainee=person,
            date=day,
            title="会议",
            hours=Decimal(hours),
        )
    filed = metrics.get("training_hours").values([a.pk, b.pk], metrics.Period.year(2025))
    assert filed == {a.pk: 3, b.pk: 2}  # an institution's filing adds 5, not round(4.9)
    with translation.override("en"):  # the label the filing showed before the registry
        assert str(metrics.get("training_hours").label) == "Continuing-education class hours"
