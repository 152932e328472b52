"""The dashboard's running totals stay equal to the records through every kind of change:
attendance corrections, withdrawals, revocations, level changes, and profile or organisation
edits made in other apps through their services (more in test_subscriptions.py). "Equal" is
checked against `contributions(None)`, which sums the records from scratch, and against the
dashboard numbers the records give independently."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.models import IndustryField
from tmhub.orgs import services as orgs
from tmhub.talent import services as talent
from tmhub.training import services
from tmhub.training.choices import Level
from tmhub.training.dashboard import figures
from tmhub.training.dashboard.data import DashboardData
from tmhub.training.models import Attendance, DashboardFigure
from tmhub.training.models import FigureMetric as M
from tmhub.training.tests.helpers import (
    attend_all,
    complete_cohort,
    given_cohort,
    given_enrolled,
    given_manager,
    given_programme,
    given_provider,
    given_running_cohort,
    revoke,
)

pytestmark = pytest.mark.django_db


def assert_consistent():
    expected = {cell: value for cell, value in figures.contributions(None).items() if value}
    assert figures.stored() == expected


def _hours(personas, user):
    data = DashboardData(get_scope(user))
    return data.totals()["hours"]


def test_the_totals_equal_the_records_after_completions_and_a_revocation(personas, city):
    assert_consistent()
    assert DashboardFigure.objects.filter(metric=M.TRAINED_BY_LEVEL).exists()
    call_command("training_figures")  # the check command agrees


def test_an_attendance_correction_moves_the_hours_by_the_difference(personas):
    a, b = given_manager(personas, "a"), given_manager(personas, "b")
    cohort, enrolments, sessions, _exam = given_running_cohort(personas, [a, b])
    attend_all(personas, sessions[:2], enrolments)
    before = _hours(personas, personas.municipal_admin)
    assert before == sum(s.hours for s in sessions[:2]) * 2
    # given a was recorded present, when corrected to absent, then the hours drop by one
    # session's worth and every total still matches the records
    services.record_attendance(sessions[0], {enrolments[0].pk: "absent"},
                               actor=personas.municipal_admin)
    assert _hours(personas, personas.municipal_admin) == before - sessions[0].hours
    assert _hours(personas, personas.municipal_admin) == sum(
        x.hours for x in Attendance.objects.filter(status__in=("present", "late")))
    assert_consistent()


def test_withdrawal_and_waitlist_promotion_keep_the_status_counts(personas):
    a, b, c = (given_manager(personas, n) for n in "abc")
    programme = given_programme(personas, given_provider(personas))
    cohort = given_cohort(personas, programme, capacity=1)
    seated = given_enrolled(personas, cohort, a)
    waiting = given_enrolled(personas, cohort, b)
    pending = services.request_enrolment(cohort, actor=c)
    services.withdraw_enrolment(seated, actor=a)  # b moves up from the waiting list
    services.withdraw_enrolment(pending, actor=c)
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"
    assert_consistent()
    statuses = dict(DashboardFigure.objects.filter(metric=M.ENROLMENTS_BY_STATUS)
                    .values_list("key", "value").exclude(value=0))
    assert statuses == {"junior:withdrawn": 2, "junior:enrolled": 1}


def test_a_failed_service_call_leaves_the_totals_alone(personas):
    a = given_manager(personas, "a")
    cohort, enrolments, sessions, _exam = given_running_cohort(personas, [a])
    kept = figures.stored()
    with pytest.raises(ValidationError):
        services.record_attendance(sessions[0], {enrolments[0].pk: "present", 999999: "present"},
                                   actor=personas.municipal_admin)
    assert figures.stored() == kept


def test_profile_and_organisation_edits_move_the_trainee_between_scopes(personas, city):
    officer = personas.district_officer  # Haidian
    trained = DashboardData(get_scope(officer)).tables()[1].trained
    b_profile = city["b"].manager_profile
    # when B (Chaoyang) starts working in Haidian, Haidian counts B and the hours B earned
    talent.update_profile(b_profile, actor=personas.municipal_admin,
                          work_district=personas.haidian)
    assert DashboardData(get_scope(officer)).tables()[1].trained == trained + 1
    assert_consistent()
    # when B's industry fields change, the field chart follows
    talent.update_profile(b_profile, actor=personas.municipal_admin,
                          fields=[IndustryField.objects.get(code="IC")])
    assert_consistent()
    # when the university moves district, its trainees without a work district move with it
    orgs.update_organization(personas.university, actor=personas.municipal_admin,
                             district=personas.chaoyang)
    assert_consistent()
    # a profile created for C (so far attributed by the enrolment's employer) takes over
    talent.create_profile(actor=SYSTEM, user=city["c"], full_name="丙",
                          employer=personas.hospital, entry_route="selected")
    assert_consistent()


def test_a_programme_level_change_moves_its_enrolment_totals(personas, city):
    enrolment = city["a"].training_enrolments.first()
    programme = enrolment.cohort.programme
    services.update_programme(programme, actor=personas.municipal_admin,
                              level=Level.INTERMEDIATE)
    assert_consistent()


def test_watch_outside_a_tracked_service_is_refused():
    with pytest.raises(RuntimeError):
        figures.watch([1])


def test_rebuild_reproduces_the_kept_totals(personas, city):
    kept = figures.stored()
    figures.rebuild()
    assert figures.stored() == kept


def test_completion_raises_the_profile_training_level_and_never_lowers_it(personas):
    from tmhub.core.models import ObjectChange

    a = given_manager(personas, "a")
    profile = talent.create_profile(actor=SYSTEM, user=a, full_name="甲",
                                    employer=personas.university)
    assert profile.training_level == ""
    complete_cohort(personas, [a], "t1", level=Level.INTERMEDIATE)
    profile.refresh_from_db()
    assert profile.training_level == "intermediate"
    assert ObjectChange.objects.filter(object_id=str(profile.pk),
                                       action=ObjectChange.Action.UPDATE).exists()
    # a later junior certificate does not lower it, and a revocation leaves it
    (junior,) = complete_cohort(personas, [a], "t2", level=Level.JUNIOR)
    profile.refresh_from_db()
    assert profile.training_level == "intermediate"
    revoke(personas, junior.certificate, "错误")
    profile.refresh_from_db()
    assert profile.training_level == "intermediate"
    # a manager with no profile completes without error
    b = given_manager(personas, "b")
    (done,) = complete_cohort(personas, [b], "t3")
    assert done.certificate.is_valid and Decimal(done.certificate.hours) > 0


def test_the_pace_is_the_average_of_the_last_six_complete_months(personas):
    import datetime

    from tmhub.training.dashboard.data import add_months, month_start

    today = datetime.date(2026, 11, 24)
    this_month = month_start(today)
    counts = {add_months(this_month, -back): 10 * back for back in range(0, 9)}
    figures.book({("TM", 1, "university", 1, "", m.strftime("%Y-%m")): Decimal(n)
                  for m, n in counts.items() if n})
    progress = DashboardData(get_scope(personas.municipal_admin), today=today).progress_table()[1]
    # months 1..6 back: 10+20+...+60 = 210 over 6 months; the current month is not complete
    assert progress.pace_per_month == Decimal("35.0")
    assert progress.trained == sum(counts.values())


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_the_same_trainees_are_counted_once(personas):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    # the same two managers in two cohorts: the writers share no session or enrolment lock
    people = [given_manager(personas, name) for name in "ab"]
    runs = [given_running_cohort(personas, people, code=code) for code in ("x1", "x2")]
    work = [(session, enrolments) for _c, enrolments, sessions, _e in runs
            for session in sessions[:3]]
    barrier, errors = threading.Barrier(len(work)), []

    def record(session, enrolments):
        try:
            barrier.wait(timeout=10)
            services.record_attendance(session, {e.pk: "present" for e in enrolments},
                                       actor=personas.municipal_admin)
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert_consistent()
    assert _hours(personas, personas.municipal_admin) == sum(s.hours for s, _e in work) * 2
