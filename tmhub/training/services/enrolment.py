"""Enrolment: self-service by managers, bulk by institution administrators, approval by the
provider, a waiting list when the cohort is full, and withdrawal that frees a seat.

Who may ask for whom is the enrolment policy's (`create`); the steps, their rules and their
stamps are the enrolment workflow's (tmhub/training/workflows.py). These services lock what two
writers could race for (the cohort's seats first, then the enrolment), take the step, keep the
dashboard totals and tell the people concerned.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import Membership
from tmhub.accounts.selectors import users_with_role
from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_change
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.training.choices import ACTIVE_ENROLMENT, EnrolmentSource
from tmhub.training.choices import EnrolmentStatus as E
from tmhub.training.dashboard.cache import changed as dashboard_changed
from tmhub.training.dashboard.figures import tracked, watch
from tmhub.training.models import Cohort, Enrolment
from tmhub.training.policies import enrolment_refusal, runs_provider
from tmhub.training.workflows import ENROLMENT_WORKFLOW


def employer_of(user):
    """The organisation where `user` works as a technology manager (None if not a manager)."""
    membership = (
        Membership.objects.filter(user=user, role=Role.MANAGER, is_active=True)
        .select_related("organization").order_by("id").first()
    )
    return membership.organization if membership else None


def _proposed(cohort, trainee) -> Enrolment:
    """The enrolment asked for, unsaved: what the policy's `create` is asked about."""
    return Enrolment(cohort=cohort, trainee=trainee, organization=employer_of(trainee))


def _source(actor, enrolment) -> str:
    if enrolment.trainee_id == getattr(actor, "pk", None):
        return EnrolmentSource.SELF
    if runs_provider(get_scope(actor), enrolment.cohort.programme.provider):
        return EnrolmentSource.PROVIDER
    return EnrolmentSource.INSTITUTION


def _check_enrollable(cohort, trainee) -> None:
    refusal = enrolment_refusal(cohort, trainee.pk,
                                is_manager=get_scope(trainee).has_role(Role.MANAGER),
                                name=str(trainee))
    if refusal is not None:
        raise refusal


def _save_request(enrolment, *, actor, motivation="") -> Enrolment:
    dashboard_changed()
    watch([enrolment.trainee_id])
    enrolment.source = _source(actor, enrolment)
    enrolment.requested_by = actor if getattr(actor, "pk", None) else None
    enrolment.motivation = motivation
    enrolment.save()
    record_change(actor=actor, obj=enrolment, action=ObjectChange.Action.CREATE, before=None)
    return enrolment


def _provider_admins(cohort):
    organization_id = cohort.programme.provider.organization_id
    if organization_id is None:
        return users_with_role(Role.MUNICIPAL_ADMIN)
    return users_with_role(Role.INSTITUTION_ADMIN, organization=organization_id)


def _locked_cohort(cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("programme__provider").get(
        pk=cohort.pk)


@transaction.atomic
@tracked
def request_enrolment(cohort, *, actor, trainee=None, motivation: str = "") -> Enrolment:
    """A manager asks for a place (or someone entitled asks for them); the provider approves."""
    trainee = trainee or actor
    cohort = _locked_cohort(cohort)
    enrolment = _proposed(cohort, trainee)
    if not policies.allows(actor, "create", enrolment):
        raise ValidationError(_("You may only enrol yourself or your institution's managers."),
                              code="forbidden")
    _check_enrollable(cohort, trainee)
    enrolment = _save_request(enrolment, actor=actor, motivation=motivation)
    notify(_provider_admins(cohort), kind="training.enrolment_request", about=enrolment,
           subject=gettext_lazy("New enrolment request: %(cohort)s"),
           params={"cohort": cohort.title}, body=str(trainee), url=cohort.get_absolute_url())
    return enrolment


@transaction.atomic
@tracked
def bulk_enrol(cohort, trainees, *, actor) -> tuple[list[Enrolment], list[tuple[object, str]]]:
    """An institution administrator (or the provider) enrols several managers at once.

    Every trainee is checked first; when any is not the actor's to enrol, nothing is saved.
    Those already enrolled are skipped and reported.
    """
    cohort = _locked_cohort(cohort)
    proposed = [_proposed(cohort, trainee) for trainee in trainees]
    for enrolment in proposed:
        if not policies.allows(actor, "create", enrolment):
            raise ValidationError({"trainees": ValidationError(
                _("%(name)s does not work at your institution.") % {"name": enrolment.trainee},
                code="forbidden")})
    created, skipped = [], []
    for enrolment in proposed:
        try:
            _check_enrollable(cohort, enrolment.trainee)
        except ValidationError as exc:
            if getattr(exc, "error_dict", None) and exc.error_dict.get("trainee"):
                skipped.append((enrolment.trainee, " ".join(exc.messages)))
                continue
            raise
        created.append(_save_request(enrolment, actor=actor))
    if created:
        notify(_provider_admins(cohort), kind="training.enrolment_request", about=cohort,
               subject=gettext_lazy("%(count)s enrolment requests: %(cohort)s"),
               params={"count": len(created), "cohort": cohort.title},
               url=cohort.get_absolute_url())
    return created, skipped


def _lock(enrolment):
    """Lock the cohort first (seats are counted per cohort), then the enrolment."""
    dashboard_changed()
    cohort = _locked_cohort(enrolment.cohort)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    watch([locked.trainee_id])
    locked.cohort = cohort
    return cohort, locked


@transaction.atomic
@tracked
def approve_enrolment(enrolment, *, actor) -> Enrolment:
    """Approve a request: a seat when one is free, otherwise a place on the waiting list."""
    cohort, enrolment = _lock(enrolment)
    target = E.ENROLLED if cohort.has_free_seat() else E.WAITLISTED
    ENROLMENT_WORKFLOW.transition(enrolment, target, actor=actor, locked=True)
    subject = (gettext_lazy("Your enrolment is confirmed: %(cohort)s") if target == E.ENROLLED
               else gettext_lazy("You are on the waiting list: %(cohort)s"))
    notify([enrolment.trainee], kind="training.enrolment_status", about=enrolment,
           subject=subject, params={"cohort": cohort.title}, url=enrolment.get_absolute_url())
    return enrolment


@transaction.atomic
@tracked
def reject_enrolment(enrolment, *, actor, reason: str) -> Enrolment:
    cohort, enrolment = _lock(enrolment)
    ENROLMENT_WORKFLOW.transition(enrolment, E.REJECTED, actor=actor, reason=reason,
                                  locked=True)
    notify([enrolment.trainee], kind="training.enrolment_status", about=enrolment,
           subject=gettext_lazy("Your enrolment was not accepted: %(cohort)s"),
           params={"cohort": cohort.title}, body=reason, url=enrolment.get_absolute_url())
    return enrolment


@transaction.atomic
@tracked
def withdraw_enrolment(enrolment, *, actor, reason: str = "") -> Enrolment:
    """Withdraw; a freed seat goes to the first person on the waiting list."""
    cohort, enrolment = _lock(enrolment)
    held_seat = enrolment.status == E.ENROLLED
    ENROLMENT_WORKFLOW.transition(enrolment, E.WITHDRAWN, actor=actor, reason=reason,
                                  locked=True)
    if getattr(actor, "pk", None) != enrolment.trainee_id:
        notify([enrolment.trainee], kind="training.enrolment_status", about=enrolment,
               subject=gettext_lazy("Your enrolment was withdrawn: %(cohort)s"),
               params={"cohort": cohort.title}, body=reason, url=enrolment.get_absolute_url())
    if held_seat:
        promote_waitlist(cohort)
    return enrolment


def take_step(enrolment, target: str, *, actor, reason: str = "") -> Enrolment:
    """The step a person chose from the enrolment's buttons (by its target). Approving lets
    the platform decide between a seat and the waiting list at the moment it happens."""
    if target in (E.ENROLLED, E.WAITLISTED):
        return approve_enrolment(enrolment, actor=actor)
    if target == E.REJECTED:
        return reject_enrolment(enrolment, actor=actor, reason=reason)
    if target == E.WITHDRAWN:
        return withdraw_enrolment(enrolment, actor=actor, reason=reason)
    ENROLMENT_WORKFLOW.check(enrolment, target, actor=actor, reason=reason)  # says why not
    raise AssertionError(target)  # pragma: no cover - every person's step is handled above


def promote_waitlist(cohort) -> list[Enrolment]:
    """Fill free seats from the waiting list, first come first served (caller holds the lock).
    The platform's step: nobody decides it, the freed seat does."""
    promoted = []
    while cohort.has_free_seat():
        nxt = (cohort.enrolments.select_for_update().filter(status=E.WAITLISTED)
               .order_by("waitlisted_at", "id").first())
        if nxt is None:
            break
        watch([nxt.trainee_id])
        ENROLMENT_WORKFLOW.transition(nxt, E.ENROLLED, actor=SYSTEM,
                                      reason=_("A seat became free."), locked=True)
        notify([nxt.trainee], kind="training.enrolment_status", about=nxt,
               subject=gettext_lazy("A seat became free; you are enrolled: %(cohort)s"),
               params={"cohort": cohort.title}, url=nxt.get_absolute_url())
        promoted.append(nxt)
    return promoted


def waitlist_position(enrolment) -> int | None:
    if enrolment.status != E.WAITLISTED:
        return None
    return enrolment.cohort.enrolments.filter(
        status=E.WAITLISTED, waitlisted_at__lt=enrolment.waitlisted_at
    ).count() + 1


def withdraw_all(cohort, *, reason: str) -> None:
    """A cancelled cohort withdraws every active enrolment and tells each trainee (the
    platform's step, part of the cancellation)."""
    dashboard_changed()
    active = Enrolment.objects.select_for_update().filter(cohort_id=cohort.pk,
                                                          status__in=ACTIVE_ENROLMENT)
    watch(active.values_list("trainee_id", flat=True))
    for enrolment in active:
        ENROLMENT_WORKFLOW.transition(enrolment, E.WITHDRAWN, actor=SYSTEM, reason=reason,
                                      locked=True)
        notify([enrolment.trainee], kind="training.enrolment_status", about=enrolment,
               subject=gettext_lazy("The cohort was cancelled: %(cohort)s"),
               params={"cohort": cohort.title}, body=reason, url=enrolment.get_absolute_url())
