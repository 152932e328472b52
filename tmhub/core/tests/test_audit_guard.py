"""The audit guard (tmhub/core/tests/audit_guard.py) itself: given writes, when the test ends,
then exactly the unaudited application writes are reported."""

import contextlib

import pytest
from django.db import transaction

from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_change, snapshot
from tmhub.core.choices import OrgKind
from tmhub.core.models import ObjectChange
from tmhub.core.tests import audit_guard
from tmhub.core.tests.audit_guard import AuditGuard
from tmhub.orgs.models import Organization
from tmhub.orgs.services import create_organization, update_organization


def _app_functions_too(code):
    """Judge this module's `app_*` functions as if they were services (to watch the guard)."""
    return code.co_name.startswith("app_") or audit_guard.is_application_frame(code)


def app_save(obj):
    obj.save()


def app_delete(obj):
    obj.delete()


def app_delete_audited(obj):
    before = snapshot(obj)
    record_change(actor=SYSTEM, obj=obj, action=ObjectChange.Action.DELETE, before=before)
    obj.delete()


@pytest.fixture
def guard():
    guard = AuditGuard(predicate=_app_functions_too).start()
    yield guard
    guard.stop()


def test_given_a_service_edit_when_it_writes_its_change_row_then_nothing_is_reported(
    personas, guard
):
    update_organization(
        personas.university, actor=personas.municipal_admin, website="https://www.example.edu.cn"
    )
    assert guard.writes, "the guard saw the write"
    assert guard.offenders() == []


def test_given_a_save_without_audit_row_when_the_test_ends_then_it_is_reported(personas, guard):
    # A record created through its service (audited), then edited by code that forgets the
    # change row: the creation's row does not cover the edit.
    org = create_organization(actor=SYSTEM, name="甲公司", kind=OrgKind.ENTERPRISE)
    org.website = "https://unaudited.example.cn"
    app_save(org)
    (offender,) = guard.offenders()
    assert offender.label == "orgs.organization" and offender.key[1] == str(org.pk)
    assert offender.action == "save" and "in app_save" in offender.caller
    assert "orgs.organization" in guard.failure()


def test_given_a_delete_without_audit_row_then_it_is_reported_and_one_with_it_is_not(
    personas, guard
):
    audited, unaudited = (
        create_organization(actor=SYSTEM, name=name, kind=OrgKind.ENTERPRISE)
        for name in ("甲公司", "乙公司")
    )
    app_delete_audited(audited)
    unaudited_pk = unaudited.pk
    app_delete(unaudited)
    assert [(w.key[1], w.action) for w in guard.offenders()] == [(str(unaudited_pk), "delete")]


def test_given_rows_the_test_makes_itself_then_they_are_its_set_up_not_offenders(personas):
    # The default judgement: a save called from test code (a factory, raw ORM) is not judged.
    guard = AuditGuard().start()
    try:
        org = Organization.objects.get(pk=personas.university.pk)
        org.website = "https://fixture.example.cn"
        org.save()
    finally:
        guard.stop()
    assert guard.writes == [] and guard.offenders() == []


def test_given_exempt_and_bookkeeping_writes_then_they_are_not_judged(personas, guard):
    from django.contrib.auth.models import update_last_login

    update_last_login(None, personas.manager)  # Django's own last_login bookkeeping
    personas.manager.notifications.create(subject="x", body="y")  # an exempt model
    assert guard.offenders() == []


def test_every_named_exemption_and_child_row_is_a_model_of_the_project():
    tracked = audit_guard.tracked_labels()  # fails on a name that is not a model
    assert not tracked & set(audit_guard.EXEMPT)
    assert set(audit_guard.AUDITED_WITH) <= tracked


def test_given_an_unaudited_write_rolled_back_with_its_savepoint_then_it_is_not_judged(
    personas, guard
):
    org = create_organization(actor=SYSTEM, name="甲公司", kind=OrgKind.ENTERPRISE)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        org.website = "https://refused.example.cn"
        app_save(org)
        raise RuntimeError("the service refused after saving")
    assert guard.offenders() == []
    app_save(org)  # the same write, kept
    assert [w.caller.rsplit(" in ", 1)[1] for w in guard.offenders()] == ["app_save"]
