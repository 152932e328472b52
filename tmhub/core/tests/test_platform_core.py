"""The platform core: policies, the event bus, operation ids and audit rows, metrics, workflows.

Given/when/then; the records are real ones made through the services.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.http import Http404

from tmhub.accounts.services import create_user
from tmhub.core import events, metrics, policies
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import history_for, record_change, record_event, snapshot
from tmhub.core.conflicts import ConflictError
from tmhub.core.models import ImportJob, WorkflowEvent
from tmhub.core.operations import operation
from tmhub.core.policies import Policy
from tmhub.core.workflow import Transition, TransitionError, Workflow

pytestmark = pytest.mark.django_db


def _job(user, status=ImportJob.Status.VALIDATED):
    return ImportJob.objects.create(kind="test", filename="a.csv", status=status,
                                    created_by=user)


@pytest.fixture
def subscribed():
    """Subscriptions made by one test and removed afterwards."""
    before = list(events._SUBSCRIPTIONS)
    yield
    events._SUBSCRIPTIONS[:] = before


# ---------------------------------------------------------------- policies
def test_given_no_actor_when_requiring_then_it_is_a_programming_error(personas):
    job = _job(personas.manager)
    with pytest.raises(ImproperlyConfigured):
        policies.require(None, "view", job)


def test_given_system_when_requiring_anything_then_it_passes(personas):
    policies.require(SYSTEM, "view", _job(personas.manager))


def test_given_a_policy_then_rows_and_refusals_follow_it(personas):
    job = _job(personas.manager)
    assert list(ImportJob.objects.restrict(personas.manager)) == [job]
    assert not ImportJob.objects.restrict(personas.enterprise).exists()
    assert ImportJob.objects.restrict(personas.municipal_admin).count() == 1
    policies.require(personas.manager, "change", job)
    with pytest.raises(Http404):
        policies.require(personas.enterprise, "view", job)


def test_given_a_verb_without_a_rule_then_asking_for_it_fails_loudly(personas):
    with pytest.raises(ImproperlyConfigured):
        policies.allows(personas.manager, "publish", _job(personas.manager))


def test_given_a_model_without_policy_then_nobody_but_system_may_act(personas):
    from tmhub.core.models import Notification

    note = Notification.objects.create(recipient=personas.manager, subject="x")
    assert not policies.allows(personas.municipal_admin, "view", note)
    assert policies.allows(SYSTEM, "view", note)


def test_given_a_second_policy_for_one_model_then_registration_is_refused():
    class Another(Policy):
        model = ImportJob

    with pytest.raises(ImproperlyConfigured):
        policies.register(Another)


# ---------------------------------------------------------------- audit rows and operations
def test_given_one_operation_then_its_rows_share_an_id_and_another_gets_its_own(personas):
    job = _job(personas.manager)
    with operation() as first:
        a = record_change(actor=personas.manager, obj=job, action="update", before=None)
        b = record_event(actor=personas.manager, obj=job, event_type="test.step")
    with operation() as second:
        c = record_change(actor=SYSTEM, obj=job, action="update", before=None)
    assert a.operation_id == b.operation_id == first
    assert c.operation_id == second != first
    assert c.actor is None and c.actor_name == "system"


def test_given_a_request_then_every_row_it_writes_carries_the_request_id(client, personas):
    client.force_login(personas.manager)
    response = client.post("/accounts/me/tokens/", {"name": "laptop"})
    request_id = response["X-Request-ID"]
    rows = WorkflowEvent.objects.filter(object_id=str(personas.manager.pk))
    assert rows.exists(), response.status_code
    assert {row.operation_id for row in rows} == {request_id}
    assert rows[0].actor_name == personas.manager.username


def test_given_a_deleted_account_then_history_still_names_the_actor(personas):
    clerk = create_user(actor=SYSTEM, username="temp_clerk", password=None,
                        display_name="临时 办事员")
    job = _job(personas.manager)
    change = record_change(actor=clerk, obj=job, action="update", before=snapshot(job))
    clerk.delete()
    change.refresh_from_db()
    assert change.actor is None
    assert change.actor_name == "临时 办事员 (temp_clerk)"


def test_given_rows_recorded_as_belonging_to_a_record_then_its_history_shows_them(personas):
    parent, child = _job(personas.manager), _job(personas.manager)
    record_change(actor=SYSTEM, obj=child, action="update", before=None, related=parent)
    record_event(actor=SYSTEM, obj=child, event_type="test.frozen", related=parent)
    changes, workflow_events = history_for(parent)
    assert [c.object_id for c in changes] == [str(child.pk)]
    assert [e.event_type for e in workflow_events] == ["test.frozen"]


# ---------------------------------------------------------------- event bus
def test_given_a_subscriber_then_it_runs_on_commit_with_the_changed_fields(
        personas, subscribed, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(events.ObjectChanged, model=ImportJob, fields={"status"})(seen.append)
    job = _job(personas.manager)
    before = snapshot(job)
    with django_capture_on_commit_callbacks(execute=True):
        job.status = ImportJob.Status.COMMITTED
        job.save()
        record_change(actor=personas.manager, obj=job, action="update", before=before)
        assert seen == []  # not before the commit
    assert len(seen) == 1
    assert seen[0].changed == {"status"} and seen[0].int_pk == job.pk
    assert seen[0].model == "core.importjob"


def test_given_a_field_filter_then_other_edits_do_not_wake_the_subscriber(
        personas, subscribed, django_capture_on_commit_callbacks):
    seen = []
    events.subscribe(events.ObjectChanged, model="core.ImportJob", fields={"status"})(
        seen.append)
    job = _job(personas.manager)
    before = snapshot(job)
    with django_capture_on_commit_callbacks(execute=True):
        job.filename = "b.csv"
        job.save()
        record_change(actor=personas.manager, obj=job, action="update", before=before)
    assert seen == []


def test_given_a_rolled_back_write_then_on_commit_subscribers_never_hear_of_it(
        personas, subscribed, django_capture_on_commit_callbacks):
    later, now = [], []
    events.subscribe(events.WorkflowStepped, event_type="test.step")(later.append)
    events.subscribe(events.WorkflowStepped, event_type="test.step",
                     when=events.IN_TRANSACTION)(now.append)
    job = _job(personas.manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                record_event(actor=SYSTEM, obj=job, event_type="test.step")
                raise RuntimeError("the service failed after writing")
        except RuntimeError:
            pass
    assert len(now) == 1  # ran inside the (rolled back) transaction
    assert later == [] and callbacks == []


def test_given_a_failing_subscriber_then_the_suite_sees_the_failure(
        personas, subscribed, django_capture_on_commit_callbacks):
    def broken(event):
        raise ValueError("broken subscriber")

    events.subscribe(events.WorkflowStepped, event_type="test.broken")(broken)
    with pytest.raises(ValueError):
        with django_capture_on_commit_callbacks(execute=True):
            record_event(actor=SYSTEM, obj=_job(personas.manager), event_type="test.broken")


# ---------------------------------------------------------------- metrics
def test_given_a_metric_then_every_subject_gets_a_value_and_zero_where_nothing_was_found():
    calls = []

    def uploads(ids, period):
        calls.append(list(ids))
        return {ids[0]: 3}

    metrics.metric("test_uploads", label="uploads", unit=metrics.COUNT, tags={"test"})(uploads)
    try:
        found = metrics.compute(["test_uploads"], [5, 2, 5], metrics.Period.year(2026))
        assert found == {"test_uploads": {2: 3, 5: 0}}
        assert calls == [[2, 5]]  # one call for the whole set, ids de-duplicated
        assert [m.key for m in metrics.tagged("test")] == ["test_uploads"]
        assert datetime.date(2026, 6, 1) in metrics.Period.year(2026)
    finally:
        metrics._REGISTRY.pop("test_uploads")


def test_given_two_definitions_under_one_key_then_registration_is_refused():
    metrics.metric("test_twice", label="a", unit=metrics.COUNT)(lambda ids, period: {})
    try:
        with pytest.raises(ImproperlyConfigured):
            @metrics.metric("test_twice", label="b", unit=metrics.COUNT)
            def other(ids, period):
                return {}
    finally:
        metrics._REGISTRY.pop("test_twice")


# ---------------------------------------------------------------- workflows
S = ImportJob.Status


def _needs_rows(job):
    if not job.total_rows:
        raise ValidationError("The file has no rows.", code="no_rows")


def _stamp(step):
    step.obj.created_rows = step.obj.total_rows
    step.data["rows"] = step.obj.total_rows


COMMIT = Workflow([
    Transition(S.VALIDATED, S.COMMITTED, lambda scope, job: job.created_by_id == scope.user_id,
               "test.committed", label="Commit", guards=(_needs_rows,), effects=(_stamp,)),
    Transition((S.VALIDATED, S.COMMITTED), S.INVALID, lambda scope, job: True, "test.rejected",
               needs_reason=True, label="Reject", style="danger"),
])


def test_given_a_transition_then_guard_effects_save_and_event_happen_together(personas):
    job = _job(personas.manager)
    with pytest.raises(ValidationError) as refused:
        COMMIT.transition(job, S.COMMITTED, actor=personas.manager)
    assert refused.value.code == "no_rows"
    job.total_rows = 4
    job.save()
    COMMIT.transition(job, S.COMMITTED, actor=personas.manager)
    job.refresh_from_db()
    assert (job.status, job.created_rows) == (S.COMMITTED, 4)
    event = WorkflowEvent.objects.get(event_type="test.committed")
    assert (event.from_state, event.to_state, event.data) == (S.VALIDATED, S.COMMITTED,
                                                              {"rows": 4})


def test_given_a_step_the_actor_may_not_take_then_nothing_changes(personas):
    job = _job(personas.manager)
    job.total_rows = 1
    job.save()
    with pytest.raises(TransitionError) as refused:
        COMMIT.transition(job, S.COMMITTED, actor=personas.enterprise)
    assert refused.value.code == "transition_forbidden"
    with pytest.raises(TransitionError) as no_reason:
        COMMIT.transition(job, S.INVALID, actor=personas.manager)
    assert no_reason.value.code == "reason_required"
    job.refresh_from_db()
    assert job.status == S.VALIDATED and not WorkflowEvent.objects.exists()


def test_given_a_status_moved_by_someone_else_then_the_step_is_a_conflict(personas):
    job = _job(personas.manager)
    stale = ImportJob.objects.get(pk=job.pk)
    COMMIT.transition(job, S.INVALID, actor=personas.manager, reason="wrong file")
    with pytest.raises(ConflictError):
        COMMIT.transition(stale, S.INVALID, actor=personas.manager, reason="again")


def test_given_buttons_then_they_list_permitted_steps_and_what_blocks_them(personas):
    job = _job(personas.manager)
    buttons = {b.target: b for b in COMMIT.buttons(job, personas.manager)}
    assert set(buttons) == {S.COMMITTED, S.INVALID}
    assert buttons[S.COMMITTED].blocked == ["The file has no rows."]
    assert not buttons[S.COMMITTED].enabled and buttons[S.INVALID].enabled
    assert [b.target for b in COMMIT.buttons(job, personas.enterprise)] == [S.INVALID]


def test_given_a_workflow_owned_status_then_a_plain_save_cannot_move_it(personas):
    from tmhub.core.workflow import ProtectedStatusError
    from tmhub.transfer.choices import DemandStatus
    from tmhub.transfer.models import Demand
    from tmhub.transfer.services.demands import create_demand, publish_demand, update_demand

    demand = create_demand(actor=personas.enterprise, organization=personas.company,
                           title="耐高温传感器封装", problem="需要 300 ℃ 下稳定工作的封装工艺")
    demand = Demand.objects.get(pk=demand.pk)
    demand.status = DemandStatus.PUBLISHED
    with pytest.raises(ProtectedStatusError):
        demand.save()
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT
    stale = Demand.objects.get(pk=demand.pk)  # loaded while still a draft
    publish_demand(demand := Demand.objects.get(pk=demand.pk), actor=personas.enterprise)
    stale.refresh_from_db()
    # After a refresh the status the record compares against is the database's again.
    assert stale._workflow_loaded == {"status": DemandStatus.PUBLISHED}
    update_demand(demand, actor=personas.enterprise, title="耐高温传感器封装工艺")
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.PUBLISHED
