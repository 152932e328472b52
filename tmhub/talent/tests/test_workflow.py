"""Registration workflow: every legal step, every illegal one refused with no change."""

import pytest
from django.core.exceptions import ValidationError

from tmhub.core.models import Notification, WorkflowEvent
from tmhub.core.roles import Role
from tmhub.core.workflow import TransitionError
from tmhub.talent import registration as reg
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import ManagerProfile, ManagerRegistration
from tmhub.talent.tests.helpers import make_profile, register, resident_id

pytestmark = pytest.mark.django_db

LEGAL = {(source, t.target) for t in reg.REGISTRATION_WORKFLOW.transitions()
         for source in t.sources}
ALL_STATES = [s.value for s in S]


def _in_state(personas, state):
    """A registration of the persona manager brought to `state` through legal steps only."""
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian)
    municipal, admin = personas.municipal_admin, personas.institution_admin
    if state == S.RETURNED:
        r = register(profile, employer_admin=admin, municipal=municipal, upto=S.UNDER_REVIEW)
        return reg.transition_registration(r, S.RETURNED, actor=municipal, reason="补充材料")
    if state == S.REJECTED:
        r = register(profile, employer_admin=admin, municipal=municipal, upto=S.UNDER_REVIEW)
        return reg.transition_registration(r, S.REJECTED, actor=municipal, reason="不符合条件")
    return register(profile, employer_admin=admin, municipal=municipal, upto=state)


def test_happy_path_issues_a_registry_number_and_lists_the_manager(personas):
    # Given a complete profile of a manager at the university
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian)
    # When it is submitted, endorsed, reviewed and approved
    registration = register(profile, employer_admin=personas.institution_admin,
                            municipal=personas.municipal_admin)
    # Then it is registered with a BJTM number and listed publicly
    assert registration.status == S.REGISTERED
    assert registration.registry_number.startswith("BJTM-")
    assert len(registration.registry_number.split("-")[-1]) == 5
    profile.refresh_from_db()
    assert profile.is_listed and profile.registry_number == registration.registry_number
    assert registration.endorsed_by == personas.institution_admin
    events = WorkflowEvent.objects.filter(object_id=str(registration.pk),
                                          event_type__startswith="talent.registration")
    assert [e.to_state for e in events.order_by("time", "id")] == [
        S.SUBMITTED, S.ENDORSED, S.UNDER_REVIEW, S.REGISTERED]
    assert Notification.objects.filter(recipient=personas.manager).count() >= 4
    assert Notification.objects.filter(recipient=personas.institution_admin).exists()
    assert profile.user.memberships.filter(role=Role.MANAGER,
                                           organization=personas.university).exists()


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_illegal_transition_is_refused_without_change(personas, state):
    # Given a registration in `state`
    registration = _in_state(personas, state)
    assert registration.status == state
    events_before = WorkflowEvent.objects.count()
    for target in ALL_STATES:
        if (state, target) in LEGAL:
            continue
        # When anyone (even the city) asks for an illegal step
        with pytest.raises(TransitionError) as exc:
            reg.transition_registration(registration, target, actor=personas.municipal_admin,
                                        reason="r")
        # Then it is refused with a clear message and nothing changes
        assert exc.value.code == "illegal_transition"
        assert "Cannot move" in exc.value.messages[0] or "不能从" in exc.value.messages[0]
        registration.refresh_from_db()
        assert registration.status == state
    assert WorkflowEvent.objects.count() == events_before


def test_steps_need_the_right_person(personas):
    registration = _in_state(personas, S.SUBMITTED)
    # The manager cannot endorse themself; a district officer cannot either.
    for actor in (personas.manager, personas.district_officer, personas.enterprise):
        with pytest.raises(TransitionError) as exc:
            reg.transition_registration(registration, S.ENDORSED, actor=actor)
        assert exc.value.code == "transition_forbidden"
    registration = reg.transition_registration(registration, S.ENDORSED,
                                               actor=personas.institution_admin)
    # The institution administrator cannot take the municipal review steps.
    with pytest.raises(TransitionError):
        reg.transition_registration(registration, S.UNDER_REVIEW,
                                    actor=personas.institution_admin)
    registration.refresh_from_db()
    assert registration.status == S.ENDORSED


def test_return_needs_a_reason_and_keeps_comments_per_field(personas):
    registration = _in_state(personas, S.UNDER_REVIEW)
    with pytest.raises(TransitionError) as exc:
        reg.transition_registration(registration, S.RETURNED, actor=personas.municipal_admin)
    assert exc.value.code == "reason_required"
    with pytest.raises(ValidationError):
        reg.transition_registration(registration, S.RETURNED, actor=personas.municipal_admin,
                                    reason="x", field_comments={"salary": "?"})
    registration = reg.transition_registration(
        registration, S.RETURNED, actor=personas.municipal_admin, reason="请补充",
        field_comments={"bio": "简介太短", "school": "请写全称"},
    )
    assert registration.field_comments == {"bio": "简介太短", "school": "请写全称"}
    # Resubmitting clears them (the event log keeps them).
    registration = reg.transition_registration(registration, S.SUBMITTED,
                                               actor=personas.manager)
    assert registration.field_comments == {}
    assert WorkflowEvent.objects.filter(data__field_comments__bio="简介太短").exists()


def test_incomplete_profile_cannot_be_submitted(personas):
    profile = make_profile(personas.manager, employer=personas.university, district=None,
                           bio="", fields=())
    registration = reg.start_registration(actor=personas.manager, profile=profile)
    with pytest.raises(ValidationError) as exc:
        reg.transition_registration(registration, S.SUBMITTED, actor=personas.manager)
    assert {"work_district", "bio", "fields"} <= set(exc.value.message_dict)
    registration.refresh_from_db()
    assert registration.status == S.DRAFT


def test_one_active_registration_per_person(personas):
    registration = _in_state(personas, S.SUBMITTED)
    with pytest.raises(ValidationError) as exc:
        reg.start_registration(actor=personas.manager, profile=registration.profile)
    assert exc.value.code == "registration_exists"
    assert ManagerRegistration.objects.count() == 1


def test_suspend_hides_from_directory_and_reinstate_keeps_the_number(personas):
    registration = _in_state(personas, S.REGISTERED)
    number = registration.registry_number
    registration = reg.transition_registration(registration, S.SUSPENDED,
                                               actor=personas.municipal_admin, reason="未备案")
    assert not ManagerProfile.objects.get(pk=registration.profile_id).is_listed
    registration = reg.transition_registration(registration, S.REGISTERED,
                                               actor=personas.municipal_admin, reason="已补报")
    assert registration.registry_number == number
    assert ManagerProfile.objects.get(pk=registration.profile_id).is_listed


def test_registry_numbers_are_never_reused(personas):
    first = _in_state(personas, S.REVOKED)
    assert not ManagerProfile.objects.get(pk=first.profile_id).is_listed
    # After revocation the same person may apply again and gets a new number.
    second = reg.start_registration(actor=personas.manager, profile=first.profile)
    for target, actor in [(S.SUBMITTED, personas.manager),
                          (S.ENDORSED, personas.institution_admin),
                          (S.UNDER_REVIEW, personas.municipal_admin),
                          (S.REGISTERED, personas.municipal_admin)]:
        second = reg.transition_registration(second, target, actor=actor)
    assert second.registry_number != first.registry_number
    first.refresh_from_db()
    assert first.status == S.REVOKED and first.registry_number


def test_bulk_approve_registers_endorsed_and_reports_failures(personas):
    endorsed = _in_state(personas, S.ENDORSED)
    other = make_profile(employer=personas.university, district=personas.haidian,
                         id_number=resident_id(901), name="李娜")
    draft = reg.start_registration(actor=other.user, profile=other)
    done, failed = reg.bulk_approve([endorsed, draft], actor=personas.municipal_admin)
    assert [r.pk for r in done] == [endorsed.pk]
    assert draft.pk in failed
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_revocation_ends_the_manager_role(personas):
    from tmhub.accounts.models import User
    from tmhub.core.access import get_scope

    revoked = _in_state(personas, S.REVOKED)
    user = User.objects.get(pk=revoked.profile.user_id)
    assert Role.MANAGER not in get_scope(user).roles
    assert WorkflowEvent.objects.filter(event_type="accounts.membership.revoked").exists()
