"""The cohort and enrolment workflows: one map of steps whose rules (who, when) and effects
(stamps, the certificate, closing a cohort) come with the step; buttons come from the map;
the status is written by nothing else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.operations import operation
from tmhub.core.workflow import ProtectedStatusError
from tmhub.training import services
from tmhub.training.choices import CohortStatus, EnrolmentStatus, TrainingEvent
from tmhub.training.models import Certificate, Cohort, Enrolment
from tmhub.training.tests.helpers import (
    attend_all,
    given_cohort,
    given_enrolled,
    given_manager,
    given_programme,
    given_provider,
    given_running_cohort,
)
from tmhub.training.workflows import COHORT_WORKFLOW, ENROLMENT_WORKFLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(personas):
    return given_cohort(personas, given_programme(personas, given_provider(personas)), capacity=1)


def _targets(buttons, enabled=None):
    return {b.target for b in buttons if enabled is None or b.enabled == enabled}


def test_a_plain_save_cannot_move_a_status(personas, cohort):
    enrolment = services.request_enrolment(cohort, actor=personas.manager)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    enrolment.status = EnrolmentStatus.ENROLLED
    with pytest.raises(ProtectedStatusError):
        enrolment.save()
    cohort = Cohort.objects.get(pk=cohort.pk)
    cohort.status = CohortStatus.RUNNING
    with pytest.raises(ProtectedStatusError):
        cohort.save()
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.PENDING


def test_the_provider_is_offered_a_seat_or_the_waiting_list_whichever_is_true(personas, cohort):
    # Given a one-seat cohort and two requests
    first = services.request_enrolment(cohort, actor=personas.manager)
    other = given_manager(personas, "second")
    second = services.request_enrolment(cohort, actor=other)
    # Then the provider may approve the first onto the free seat, not onto the waiting list
    buttons = ENROLMENT_WORKFLOW.buttons(first, personas.institution_admin)
    assert _targets(buttons, enabled=True) == {
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.REJECTED,
        EnrolmentStatus.WITHDRAWN,
    }
    assert _targets(buttons, enabled=False) == {EnrolmentStatus.WAITLISTED}
    services.approve_enrolment(first, actor=personas.institution_admin)
    # and once the seat is taken, only onto the waiting list
    second = Enrolment.objects.get(pk=second.pk)
    buttons = ENROLMENT_WORKFLOW.buttons(second, personas.institution_admin)
    assert EnrolmentStatus.WAITLISTED in _targets(buttons, enabled=True)
    assert EnrolmentStatus.ENROLLED in _targets(buttons, enabled=False)
    # and the trainee may only withdraw their own request
    assert _targets(ENROLMENT_WORKFLOW.buttons(second, other)) == {EnrolmentStatus.WITHDRAWN}
    assert ENROLMENT_WORKFLOW.buttons(second, personas.enterprise) == []


def test_a_step_past_a_guard_is_refused_and_changes_nothing(personas, cohort):
    services.approve_enrolment(
        services.request_enrolment(cohort, actor=personas.manager), actor=personas.institution_admin
    )
    waiting = services.request_enrolment(cohort, actor=given_manager(personas, "late"))
    # When the provider asks for a seat that is not there (a stale page)
    response = client_for(personas.institution_admin).post(
        reverse("training:enrolment-action", args=[waiting.pk, EnrolmentStatus.WAITLISTED])
    )
    assert response.status_code == 302
    # Then approving puts the request on the waiting list (the platform decides by the seats)
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.WAITLISTED
    # and the step the workflow does not know is refused without a change or an event
    events = WorkflowEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.take_step(
            Enrolment.objects.get(pk=waiting.pk),
            EnrolmentStatus.COMPLETED,
            actor=personas.institution_admin,
        )
    assert refused.value.code in ("illegal_transition", "transition_forbidden")
    assert WorkflowEvent.objects.count() == events
    assert Enrolment.objects.get(pk=waiting.pk).status == EnrolmentStatus.WAITLISTED


def test_platform_steps_are_no_ones_buttons(personas, cohort):
    # Given a trainee on the waiting list of a full cohort
    services.approve_enrolment(
        services.request_enrolment(cohort, actor=personas.manager), actor=personas.municipal_admin
    )
    waiting = services.approve_enrolment(
        services.request_enrolment(cohort, actor=given_manager(personas, "w")),
        actor=personas.municipal_admin,
    )
    # Then not even the city is offered the promotion, which the freed seat decides
    for user in (personas.municipal_admin, personas.institution_admin):
        assert EnrolmentStatus.ENROLLED not in _targets(ENROLMENT_WORKFLOW.buttons(waiting, user))
    with pytest.raises(ValidationError) as refused:
        ENROLMENT_WORKFLOW.transition(
            waiting, EnrolmentStatus.ENROLLED, actor=personas.municipal_admin
        )
    assert refused.value.code == "transition_forbidden"


def test_completion_is_the_platforms_step_in_the_recorders_request(personas):
    # Given a running cohort where the trainee has every hour
    cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager])
    attend_all(personas, sessions, [enrolment])
    # When the provider records the passing score (one request)
    with operation():
        services.record_scores(
            exam, {enrolment.pk: Decimal("80")}, actor=personas.institution_admin
        )
    # Then the platform completes the enrolment (stamp, hours, certificate: the step's effects)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED and enrolment.completed_at
    assert Certificate.objects.filter(enrolment=enrolment).exists()
    done = WorkflowEvent.objects.get(event_type=TrainingEvent.ENROLMENT_COMPLETED)
    assert (done.actor_id, done.actor_name, done.data) == (None, "system", {"hours": "48.0"})
    # within the request of the score that caused it
    scored = ObjectChange.objects.get(content_type__model="assessmentresult")
    assert done.operation_id == scored.operation_id


def test_the_cohort_buttons_carry_their_guards(personas):
    provider = given_provider(personas)
    draft_programme = services.create_programme(
        actor=personas.municipal_admin,
        provider=provider,
        code="unpub",
        name_zh="未发布",
        level="junior",
        is_published=False,
    )
    draft = given_cohort(personas, draft_programme, code="d1", open_it=False)
    buttons = {b.target: b for b in COHORT_WORKFLOW.buttons(draft, personas.institution_admin)}
    assert not buttons[CohortStatus.OPEN].enabled  # the programme is not published
    assert buttons[CohortStatus.OPEN].blocked
    assert buttons[CohortStatus.CANCELLED].needs_reason
    assert COHORT_WORKFLOW.buttons(draft, personas.manager) == []
    page = client_for(personas.institution_admin).get(draft.get_absolute_url()).content.decode()
    assert f'data-target="{CohortStatus.OPEN}" disabled' in page


def test_finishing_a_cohort_closes_every_enrolment(personas):
    # Given a running cohort: A has met the rule, B has not
    a, b = (given_manager(personas, n) for n in "ab")
    cohort, (done, short), sessions, exam = given_running_cohort(personas, [a, b])
    attend_all(personas, sessions, [done])
    services.record_scores(exam, {done.pk: Decimal("90")}, actor=personas.municipal_admin)
    # When the provider finishes it (the step's effect closes the enrolments)
    services.transition_cohort(cohort, CohortStatus.FINISHED, actor=personas.institution_admin)
    statuses = dict(Enrolment.objects.filter(cohort=cohort).values_list("trainee", "status"))
    assert statuses == {a.pk: EnrolmentStatus.COMPLETED, b.pk: EnrolmentStatus.NOT_COMPLETED}
    assert Cohort.objects.get(pk=cohort.pk).status == CohortStatus.FINISHED


def test_cancelling_withdraws_as_the_platform_with_the_reason(personas):
    programme = given_programme(personas, given_provider(personas))
    cohort = given_cohort(personas, programme, code="c-cancel")
    enrolment = given_enrolled(personas, cohort, personas.manager)
    with operation():  # one request
        services.transition_cohort(
            cohort, CohortStatus.CANCELLED, actor=personas.institution_admin, reason="场地不可用"
        )
    withdrawn = WorkflowEvent.objects.get(
        event_type=TrainingEvent.ENROLMENT_WITHDRAWN, object_id=str(enrolment.pk)
    )
    assert (withdrawn.reason, withdrawn.actor_name) == ("场地不可用", "system")
    cancelled = WorkflowEvent.objects.get(event_type=TrainingEvent.COHORT_CANCELLED)
    assert cancelled.actor_id == personas.institution_admin.pk
    assert cancelled.operation_id == withdrawn.operation_id
