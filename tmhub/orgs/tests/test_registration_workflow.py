"""Institution registration: every legal step works, every illegal one is refused unchanged."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tmhub.core.models import Notification, ObjectChange, WorkflowEvent
from tmhub.orgs import services
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.models import InstitutionRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas):
    return services.create_registration(
        actor=personas.institution_admin, organization=personas.university,
        premises_address="海淀区清华园1号", fulltime_staff=12, has_written_rules=True,
        business_scope="技术转移、知识产权运营",
    )


def test_submit_approve_issues_a_unique_registry_number(
    personas, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_registration(draft, S.SUBMITTED, actor=personas.institution_admin)
    assert Notification.objects.filter(recipient=personas.municipal_admin).exists()
    assert any("p_municipal@example.cn" in m.to for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.transition_registration(
            draft, S.APPROVED, actor=personas.municipal_admin)
    assert registration.status == S.APPROVED
    assert registration.registry_number.startswith("BJTTO-")
    assert Notification.objects.filter(recipient=personas.institution_admin).exists()
    events = list(WorkflowEvent.objects.order_by("time", "id").values_list(
        "from_state", "to_state", "actor__username"))
    assert events == [("draft", "submitted", "p_tto"), ("submitted", "approved", "p_municipal")]


def test_return_needs_a_reason_and_allows_resubmission(personas, draft):
    services.transition_registration(draft, S.SUBMITTED, actor=personas.institution_admin)
    with pytest.raises(ValidationError) as exc:
        services.transition_registration(draft, S.RETURNED, actor=personas.municipal_admin)
    assert exc.value.code == "reason_required"
    services.transition_registration(draft, S.RETURNED, actor=personas.municipal_admin,
                                     reason="请补充制度文件")
    services.update_registration(draft, actor=personas.institution_admin, fulltime_staff=15)
    registration = services.transition_registration(draft, S.SUBMITTED,
                                                    actor=personas.institution_admin)
    assert registration.status == S.SUBMITTED and registration.fulltime_staff == 15
    assert WorkflowEvent.objects.filter(to_state="returned", reason="请补充制度文件").exists()


def _city(personas):
    return personas.municipal_admin


def _institution(personas):
    return personas.institution_admin


def _department(personas):
    return personas.department_officer


@pytest.mark.parametrize(
    "path, target, who, code",
    [
        ([], S.APPROVED, _city, "illegal_transition"),  # draft cannot be approved
        ([], S.SUBMITTED, _city, "transition_forbidden"),  # only the institution
        ([S.SUBMITTED], S.APPROVED, _institution, "transition_forbidden"),
        ([S.SUBMITTED], S.APPROVED, _department, "transition_forbidden"),
        ([S.SUBMITTED], S.SUBMITTED, _institution, "illegal_transition"),
        ([S.SUBMITTED, S.REJECTED], S.SUBMITTED, _institution, "illegal_transition"),
        ([S.SUBMITTED, S.APPROVED], S.RETURNED, _city, "illegal_transition"),
    ],
)
def test_illegal_steps_are_refused_without_change(personas, draft, path, target, who, code):
    for step in path:
        actor = personas.institution_admin if step == S.SUBMITTED else personas.municipal_admin
        services.transition_registration(draft, step, actor=actor, reason="理由")
    before = InstitutionRegistration.objects.get(pk=draft.pk)
    events_before = WorkflowEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.transition_registration(draft, target, actor=who(personas), reason="理由")
    assert exc.value.code == code
    after = InstitutionRegistration.objects.get(pk=draft.pk)
    assert (after.status, after.registry_number) == (before.status, before.registry_number)
    assert WorkflowEvent.objects.count() == events_before


def test_incomplete_application_cannot_be_submitted(personas):
    registration = services.create_registration(
        actor=personas.institution_admin, organization=personas.university,
        premises_address="海淀区", fulltime_staff=0, has_written_rules=False, business_scope="x",
    )
    with pytest.raises(ValidationError) as exc:
        services.transition_registration(registration, S.SUBMITTED,
                                         actor=personas.institution_admin)
    assert set(exc.value.message_dict) == {"fulltime_staff", "has_written_rules"}
    assert InstitutionRegistration.objects.get(pk=registration.pk).status == S.DRAFT


def test_second_open_registration_is_refused(personas, draft):
    with pytest.raises(ValidationError) as exc:
        services.create_registration(
            actor=personas.institution_admin, organization=personas.university,
            premises_address="x", fulltime_staff=1, has_written_rules=True, business_scope="x",
        )
    assert exc.value.code == "registration_exists"


def test_registry_numbers_are_never_reused(personas, draft):
    services.transition_registration(draft, S.SUBMITTED, actor=personas.institution_admin)
    first = services.transition_registration(draft, S.APPROVED, actor=personas.municipal_admin)
    # Nobody administers the other university; a superuser acts for it (as for a data fix).
    from tmhub.accounts.models import User

    root = User.objects.create_superuser("root2", "r@example.cn", "x")
    other = services.create_registration(
        actor=root, organization=personas.other_university,
        premises_address="朝阳区", fulltime_staff=2, has_written_rules=True, business_scope="x",
    )
    services.transition_registration(other, S.SUBMITTED, actor=root)
    # The city approves: who submitted does not (four eyes).
    second = services.transition_registration(other, S.APPROVED, actor=personas.municipal_admin)
    assert first.registry_number != second.registry_number


def test_every_change_is_audited_with_before_and_after(personas, draft):
    services.update_registration(draft, actor=personas.institution_admin, fulltime_staff=20)
    change = ObjectChange.objects.filter(action="update").latest("time")
    assert change.actor == personas.institution_admin
    assert ("fulltime_staff", 12, 20) in change.changed_fields()
