"""Enrolment: self-service and bulk requests, approval, capacity, waiting list, withdrawal."""

import pytest
from django.core.exceptions import ValidationError

from tmhub.core.models import Notification, WorkflowEvent
from tmhub.training import services
from tmhub.training.choices import EnrolmentSource
from tmhub.training.models import Enrolment
from tmhub.training.services.enrolment import waitlist_position
from tmhub.training.tests.helpers import (
    given_cohort,
    given_manager,
    given_programme,
    given_provider,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_cohort(personas):
    """A cohort of a provider the institution administrator does not run."""
    provider = given_provider(personas, organization=personas.other_university, name="另一学院")
    return given_cohort(personas, given_programme(personas, provider, code="other"), code="o1")


@pytest.fixture
def cohort(personas):
    programme = given_programme(personas, given_provider(personas))
    return given_cohort(personas, programme, capacity=2)


def test_a_manager_requests_a_place_and_the_provider_approves(personas, cohort):
    # When the manager enrols themselves
    enrolment = services.request_enrolment(cohort, actor=personas.manager, motivation="提升能力")
    # Then the request waits for the provider, who is told
    assert (enrolment.status, enrolment.source) == ("pending", EnrolmentSource.SELF)
    assert enrolment.organization == personas.university
    assert Notification.objects.filter(recipient=personas.institution_admin).exists()
    # When the provider's administrator approves
    enrolment = services.approve_enrolment(enrolment, actor=personas.institution_admin)
    # Then the manager holds a seat, is told, and the step is a typed event
    assert enrolment.status == "enrolled"
    assert Notification.objects.filter(recipient=personas.manager).exists()
    assert WorkflowEvent.objects.filter(event_type="training.enrolment.approved").count() == 1


def test_people_who_are_not_managers_cannot_enrol(personas, cohort):
    with pytest.raises(ValidationError) as exc:
        services.request_enrolment(cohort, actor=personas.enterprise)
    assert exc.value.error_dict["trainee"][0].code == "not_a_manager"


def test_one_active_enrolment_per_cohort(personas, cohort):
    services.request_enrolment(cohort, actor=personas.manager)
    with pytest.raises(ValidationError) as exc:
        services.request_enrolment(cohort, actor=personas.manager)
    assert exc.value.error_dict["trainee"][0].code == "duplicate"


def test_a_draft_cohort_takes_no_enrolments(personas):
    programme = given_programme(personas, given_provider(personas))
    draft = given_cohort(personas, programme, code="draft", open_it=False)
    with pytest.raises(ValidationError) as exc:
        services.request_enrolment(draft, actor=personas.manager)
    assert exc.value.code == "not_open"


def test_a_full_cohort_waitlists_and_a_withdrawal_promotes_the_first_in_line(personas, cohort):
    # Given a cohort of two seats and four approved requests
    people = [given_manager(personas, f"m{i}") for i in range(4)]
    enrolments = []
    for person in people:
        enrolment = services.request_enrolment(cohort, actor=person)
        enrolments.append(services.approve_enrolment(enrolment, actor=personas.institution_admin))
    # Then two hold seats and two wait, in order
    assert [e.status for e in enrolments] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    assert [waitlist_position(e) for e in enrolments[2:]] == [1, 2]
    # When an enrolled trainee withdraws
    services.withdraw_enrolment(enrolments[0], actor=people[0])
    # Then the first waiting person takes the seat and is told
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in enrolments]
    assert statuses == ["withdrawn", "enrolled", "enrolled", "waitlisted"]
    assert Notification.objects.filter(recipient=people[2], subject__contains="seat").exists() \
        or Notification.objects.filter(recipient=people[2]).count() >= 2
    assert waitlist_position(Enrolment.objects.get(pk=enrolments[3].pk)) == 1


def test_raising_the_capacity_promotes_from_the_waiting_list(personas, cohort):
    people = [given_manager(personas, f"m{i}") for i in range(3)]
    for person in people:
        services.approve_enrolment(services.request_enrolment(cohort, actor=person),
                                   actor=personas.municipal_admin)
    services.update_cohort(cohort, actor=personas.institution_admin, capacity=3)
    assert Enrolment.objects.filter(cohort=cohort, status="enrolled").count() == 3


def test_institution_admin_bulk_enrols_only_own_managers(personas, foreign_cohort):
    cohort = foreign_cohort
    # Given two managers of the admin's university and one elsewhere
    ours = [given_manager(personas, "ours1"), given_manager(personas, "ours2")]
    theirs = given_manager(personas, "theirs", personas.other_university)
    # When the admin includes the outsider, nothing is saved
    with pytest.raises(ValidationError):
        services.bulk_enrol(cohort, ours + [theirs], actor=personas.institution_admin)
    assert not Enrolment.objects.exists()
    # When only their own (one already enrolled), the others are created pending approval
    services.request_enrolment(cohort, actor=ours[0])
    created, skipped = services.bulk_enrol(cohort, ours, actor=personas.institution_admin)
    assert [e.trainee for e in created] == [ours[1]]
    assert [person for person, _reason in skipped] == [ours[0]]
    assert created[0].status == "pending"
    assert created[0].source == EnrolmentSource.INSTITUTION


def test_another_institution_cannot_enrol_someone_else(personas, foreign_cohort):
    cohort = foreign_cohort
    stranger = given_manager(personas, "stranger", personas.other_university)
    with pytest.raises(ValidationError) as exc:
        services.request_enrolment(cohort, actor=personas.institution_admin, trainee=stranger)
    assert exc.value.code == "forbidden"


def test_only_the_provider_approves(personas, cohort):
    enrolment = services.request_enrolment(cohort, actor=personas.manager)
    for outsider in (personas.manager, personas.district_officer, personas.enterprise):
        with pytest.raises(ValidationError) as exc:
            services.approve_enrolment(enrolment, actor=outsider)
        assert exc.value.code == "transition_forbidden"


def test_rejection_needs_a_reason(personas, cohort):
    enrolment = services.request_enrolment(cohort, actor=personas.manager)
    with pytest.raises(ValidationError):
        services.reject_enrolment(enrolment, actor=personas.institution_admin, reason=" ")
    enrolment = services.reject_enrolment(enrolment, actor=personas.institution_admin,
                                          reason="名额已满")
    assert enrolment.status == "rejected"
    # and the manager may ask again later
    assert services.request_enrolment(cohort, actor=personas.manager).status == "pending"


def test_cancelling_a_cohort_withdraws_everyone(personas, cohort):
    enrolment = services.request_enrolment(cohort, actor=personas.manager)
    services.transition_cohort(cohort, "cancelled", actor=personas.institution_admin,
                               reason="场地不可用")
    assert Enrolment.objects.get(pk=enrolment.pk).status == "withdrawn"
