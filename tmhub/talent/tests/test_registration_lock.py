"""A registration decision holds the row lock from its read to its commit (PostgreSQL, two
connections; issue 10, item 7).

The city decides a registration in one transaction; a second reviewer deciding the same
registration from another connection meanwhile must wait for that lock, then see the first
decision and be refused. Without the lock the second reviewer reads the old state (the first
decision is not committed yet), passes every check, and overwrites the first decision once
its row is free: two decisions, the second silently winning.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tmhub.core.models import WorkflowEvent
from tmhub.talent import registration as reg
from tmhub.talent.choices import RegistrationEvent
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import ManagerRegistration
from tmhub.talent.tests.helpers import make_profile, register

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (two real connections and row locks)")


def _someone_waits_for_a_lock(timeout: float = 10.0) -> bool:
    """True once another connection is waiting for a lock this transaction holds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def test_a_second_decision_waits_for_the_first_and_is_refused(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    registration = register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.UNDER_REVIEW,
    )
    outcome = {}

    def second_reviewer():
        try:
            outcome["result"] = reg.transition_registration(
                registration, S.REJECTED, actor=personas.municipal_admin, reason="材料不全"
            )
        except Exception as exc:  # noqa: BLE001 - the refusal is what the test asserts
            outcome["result"] = exc
        finally:
            connections.close_all()

    other = threading.Thread(target=second_reviewer)
    # Given the city approving, its transaction still open
    with transaction.atomic():
        reg.transition_registration(registration, S.REGISTERED, actor=personas.municipal_admin)
        # When a second reviewer rejects the same registration from another connection
        other.start()
        # Then they wait for the first decision's lock
        assert _someone_waits_for_a_lock(), "the second decision did not wait for the lock"
    other.join(30)
    # and, once it commits, see it and are refused: one decision, the first
    refused = outcome["result"]
    assert isinstance(refused, Exception), f"the second decision went through: {refused}"
    assert getattr(refused, "code", None) == "illegal_transition"
    registration = ManagerRegistration.objects.get(pk=registration.pk)
    assert registration.status == S.REGISTERED
    decisions = WorkflowEvent.objects.filter(
        object_id=str(registration.pk),
        event_type__in=(RegistrationEvent.REGISTERED, RegistrationEvent.REJECTED),
    )
    assert [e.event_type for e in decisions] == [RegistrationEvent.REGISTERED]
