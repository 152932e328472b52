"""Edits made in the talent pool and the organisation registry move the dashboard's totals
through the event bus, in the editor's transaction: an edit that commits moves them, an edit
that is rolled back leaves them as they were."""

import pytest
from django.db import transaction

from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.models import IndustryField
from tmhub.orgs import services as orgs
from tmhub.talent import services as talent
from tmhub.training import services
from tmhub.training.dashboard import figures
from tmhub.training.dashboard.data import DashboardData
from tmhub.training.models import DashboardFigure
from tmhub.training.models import FigureMetric as M
from tmhub.training.tests.helpers import given_manager, given_running_cohort

pytestmark = pytest.mark.django_db


class Abandoned(Exception):
    """Raised after an edit to roll its transaction back."""


def trained_in(district) -> int:
    """Trained managers the running totals attribute to `district` (by highest level)."""
    return int(
        sum(
            DashboardFigure.objects.filter(
                metric=M.TRAINED_BY_LEVEL, district=district.pk
            ).values_list("value", flat=True)
        )
    )


def assert_consistent():
    expected = {cell: value for cell, value in figures.contributions(None).items() if value}
    assert figures.stored() == expected


def test_a_profile_edit_through_the_talent_service_moves_the_trainee(personas, city):
    # Given B, trained, working in Chaoyang
    haidian, chaoyang = trained_in(personas.haidian), trained_in(personas.chaoyang)
    officer_sees = DashboardData(get_scope(personas.district_officer)).tables()[1].trained
    # When B's profile says Haidian
    talent.update_profile(
        city["b"].manager_profile, actor=personas.municipal_admin, work_district=personas.haidian
    )
    # Then B counts in Haidian and no longer in Chaoyang, on the totals and for the officer
    assert (trained_in(personas.haidian), trained_in(personas.chaoyang)) == (
        haidian + 1,
        chaoyang - 1,
    )
    assert DashboardData(get_scope(personas.district_officer)).tables()[1].trained == (
        officer_sees + 1
    )
    assert_consistent()


def test_a_rolled_back_profile_edit_leaves_the_totals(personas, city):
    kept = figures.stored()
    with pytest.raises(Abandoned), transaction.atomic():
        talent.update_profile(
            city["b"].manager_profile,
            actor=personas.municipal_admin,
            work_district=personas.haidian,
            fields=[IndustryField.objects.get(code="IC")],
        )
        assert figures.stored() != kept  # booked inside the edit's transaction …
        raise Abandoned
    assert figures.stored() == kept  # … and gone with it
    assert_consistent()


def test_industry_fields_entry_route_and_employer_follow_the_profile(personas, city):
    ai = IndustryField.objects.get(code="AI")
    ic = IndustryField.objects.get(code="IC")

    def by_field(field):
        return sum(
            DashboardFigure.objects.filter(
                metric=M.TRAINED_BY_FIELD, key=str(field.pk)
            ).values_list("value", flat=True)
        )

    ai_before = by_field(ai)
    talent.update_profile(
        city["a"].manager_profile,
        actor=personas.municipal_admin,
        fields=[ic],
        entry_route="recruited",
        employer=personas.hospital,
    )
    assert (by_field(ai), by_field(ic)) == (ai_before - 1, 1)
    assert_consistent()


def test_a_new_profile_takes_over_from_the_enrolments_employer(personas, city):
    # Given C, trained without a profile and attributed to the Haidian university
    haidian = trained_in(personas.haidian)
    # When C gets a profile at the Chaoyang hospital
    talent.create_profile(
        actor=SYSTEM,
        user=city["c"],
        full_name="丙",
        employer=personas.hospital,
        entry_route="selected",
    )
    # Then C counts in Chaoyang
    assert trained_in(personas.haidian) == haidian - 1
    assert_consistent()


def test_an_organisation_moving_district_moves_its_trainees(personas, city):
    # Given the Haidian university, which employs A (profile) and C (enrolment)
    chaoyang = trained_in(personas.chaoyang)
    orgs.update_organization(
        personas.university, actor=personas.municipal_admin, district=personas.chaoyang
    )
    # A has a work district of their own and stays; C moves with the university
    assert trained_in(personas.chaoyang) == chaoyang + 1
    assert_consistent()


def test_a_rolled_back_organisation_edit_leaves_the_totals(personas, city):
    kept = figures.stored()
    with pytest.raises(Abandoned), transaction.atomic():
        orgs.update_organization(
            personas.university, actor=personas.municipal_admin, district=personas.chaoyang
        )
        raise Abandoned
    assert figures.stored() == kept


@pytest.mark.django_db(transaction=True)
def test_profile_edits_racing_attendance_of_the_same_trainee_are_counted_once(personas):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    # Given two trainees with profiles in a running cohort
    people = [given_manager(personas, name) for name in "xy"]
    for person in people:
        talent.create_profile(
            actor=SYSTEM,
            user=person,
            full_name=person.username,
            employer=personas.university,
            work_district=personas.haidian,
        )
    _cohort, enrolments, sessions, _exam = given_running_cohort(personas, people, code="race")
    profiles = [p.manager_profile for p in people]
    # When the provider records three sessions while the talent pool moves both managers
    # back and forth between districts, all at once
    work = [("attendance", session) for session in sessions[:3]] + [
        ("profile", (profile, district))
        for profile in profiles
        for district in (personas.chaoyang, personas.haidian, personas.chaoyang)
    ]
    barrier, errors = threading.Barrier(len(work)), []

    def run(kind, item):
        try:
            barrier.wait(timeout=10)
            if kind == "attendance":
                services.record_attendance(
                    item, {e.pk: "present" for e in enrolments}, actor=personas.municipal_admin
                )
            else:
                profile, district = item
                talent.update_profile(
                    profile, actor=personas.municipal_admin, work_district=district
                )
        except Exception as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # Then nobody deadlocked and every hour counts once, where its trainee now works
    assert not errors
    assert_consistent()
