"""Enrolment: self-service by managers, bulk by institution administrators, approval by the
provider, a waiting list when the cohort is full, and withdrawal that frees a seat."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import User
from tmhub.core.audit import record_change
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.workflow import Transition, Workflow
from tmhub.training.choices import ACTIVE_ENROLMENT, CohortStatus, EnrolmentSource, TrainingEvent
from tmhub.training.choices import EnrolmentStatus as E
from tmhub.training.dashboard.cache import changed as dashboard_changed
from tmhub.training.dashboard.figures import tracked, watch
from tmhub.training.models import Cohort, Enrolment
from tmhub.training.services.permissions import (
    administers_trainee,
    employer_of,
    is_manager,
    manages_cohort,
)


def _manages(scope, enrolment):
    return manages_cohort(scope, enrolment.cohort)


def _may_withdraw(scope, enrolment):
    return (
        scope.user_id == enrolment.trainee_id
        or administers_trainee(scope, enrolment.organization)
        or _manages(scope, enrolment)
    )


def _system(scope, enrolment):
    # Steps the services take themselves (promotion, completion); never offered as buttons.
    return True


ENROLMENT_WORKFLOW = Workflow(
    [
        Transition(E.PENDING, E.ENROLLED, _manages, TrainingEvent.ENROLMENT_APPROVED,
                   label=gettext_lazy("Approve")),
        Transition(E.PENDING, E.WAITLISTED, _manages, TrainingEvent.ENROLMENT_WAITLISTED,
                   label=gettext_lazy("Approve")),
        Transition(E.PENDING, E.REJECTED, _manages, TrainingEvent.ENROLMENT_REJECTED,
                   needs_reason=True, label=gettext_lazy("Reject")),
        Transition(E.WAITLISTED, E.ENROLLED, _system, TrainingEvent.ENROLMENT_PROMOTED),
        Transition(E.PENDING, E.WITHDRAWN, _may_withdraw, TrainingEvent.ENROLMENT_WITHDRAWN,
                   label=gettext_lazy("Withdraw")),
        Transition(E.WAITLISTED, E.WITHDRAWN, _may_withdraw, TrainingEvent.ENROLMENT_WITHDRAWN,
                   label=gettext_lazy("Withdraw")),
        Transition(E.ENROLLED, E.WITHDRAWN, _may_withdraw, TrainingEvent.ENROLMENT_WITHDRAWN,
                   label=gettext_lazy("Withdraw")),
        Transition(E.ENROLLED, E.COMPLETED, _system, TrainingEvent.ENROLMENT_COMPLETED),
        Transition(E.ENROLLED, E.NOT_COMPLETED, _system, TrainingEvent.ENROLMENT_NOT_COMPLETED),
        Transition(E.ENROLLED, E.ATTENDED, _system, TrainingEvent.ENROLMENT_ATTENDED),
    ]
)

# The buttons a person may press (system steps excluded).
USER_ACTIONS = {"approve": (E.PENDING,), "reject": (E.PENDING,),
                "withdraw": (E.PENDING, E.WAITLISTED, E.ENROLLED)}


def allowed_actions(enrolment, user) -> list[str]:
    """'approve' / 'reject' / 'withdraw' as the user may take them now."""
    targets = {t.target for t in ENROLMENT_WORKFLOW.allowed_for(enrolment, user)
               if t.permitted is not _system}
    if enrolment.cohort.status in (CohortStatus.FINISHED, CohortStatus.CANCELLED):
        return []
    actions = []
    if E.ENROLLED in targets or E.WAITLISTED in targets:
        actions.append("approve")
    if E.REJECTED in targets:
        actions.append("reject")
    if E.WITHDRAWN in targets:
        actions.append("withdraw")
    return actions


def _trainee_error(message, code):
    return ValidationError({"trainee": ValidationError(message, code=code)})


def _check_enrollable(cohort, trainee, *, actor):
    if cohort.status != CohortStatus.OPEN:
        raise ValidationError(_("This cohort is not open for enrolment."), code="not_open")
    if cohort.enrolment_deadline and timezone.localdate() > cohort.enrolment_deadline:
        raise ValidationError(_("The enrolment deadline has passed."), code="deadline_passed")
    if not is_manager(trainee):
        raise _trainee_error(_("%(name)s is not a technology manager on the platform.")
                             % {"name": trainee}, "not_a_manager")
    if Enrolment.objects.filter(cohort=cohort, trainee=trainee,
                                status__in=ACTIVE_ENROLMENT).exists():
        raise _trainee_error(_("%(name)s is already enrolled or waiting in this cohort.")
                             % {"name": trainee}, "duplicate")


def _create_enrolment(cohort, trainee, *, actor, source, motivation=""):
    dashboard_changed()
    watch([trainee.pk])
    organization = employer_of(trainee)
    enrolment = Enrolment.objects.create(
        cohort=cohort, trainee=trainee, organization=organization, source=source,
        requested_by=actor, motivation=motivation,
    )
    record_change(actor=actor, obj=enrolment, action=ObjectChange.Action.CREATE, before=None)
    return enrolment


def _provider_admins(cohort):
    organization_id = cohort.programme.provider.organization_id
    if organization_id is None:
        return User.objects.filter(memberships__role=Role.MUNICIPAL_ADMIN,
                                   memberships__is_active=True).distinct()
    return User.objects.filter(memberships__organization_id=organization_id,
                               memberships__role=Role.INSTITUTION_ADMIN,
                               memberships__is_active=True).distinct()


@transaction.atomic
@tracked
def request_enrolment(cohort, *, actor, trainee=None, motivation: str = "") -> Enrolment:
    """A manager asks for a place (or someone entitled asks for them); the provider approves."""
    trainee = trainee or actor
    cohort = Cohort.objects.select_for_update().select_related("programme__provider").get(
        pk=cohort.pk
    )
    if trainee.pk == actor.pk:
        source = EnrolmentSource.SELF
    elif manages_cohort(actor, cohort):
        source = EnrolmentSource.PROVIDER
    elif administers_trainee(actor, employer_of(trainee)):
        source = EnrolmentSource.INSTITUTION
    else:
        raise ValidationError(_("You may only enrol yourself or your institution's managers."),
                              code="forbidden")
    _check_enrollable(cohort, trainee, actor=actor)
    enrolment = _create_enrolment(cohort, trainee, actor=actor, source=source,
                                  motivation=motivation)
    notify(_provider_admins(cohort), subject=_("New enrolment request: %(cohort)s")
           % {"cohort": cohort.title}, body=str(trainee), url=cohort.get_absolute_url())
    return enrolment


@transaction.atomic
@tracked
def bulk_enrol(cohort, trainees, *, actor) -> tuple[list[Enrolment], list[tuple[User, str]]]:
    """An institution administrator enrols several of the institution's managers at once.

    Every trainee is checked first; when any is not the actor's to enrol, nothing is saved.
    Those already enrolled are skipped and reported.
    """
    cohort = Cohort.objects.select_for_update().select_related("programme__provider").get(
        pk=cohort.pk
    )
    provider = manages_cohort(actor, cohort)
    created, skipped = [], []
    for trainee in trainees:
        if not (provider or administers_trainee(actor, employer_of(trainee))):
            raise ValidationError({"trainees": ValidationError(
                _("%(name)s does not work at your institution.") % {"name": trainee},
                code="forbidden")})
    for trainee in trainees:
        try:
            _check_enrollable(cohort, trainee, actor=actor)
        except ValidationError as exc:
            if getattr(exc, "error_dict", None) and exc.error_dict.get("trainee"):
                skipped.append((trainee, " ".join(exc.messages)))
                continue
            raise
        created.append(_create_enrolment(
            cohort, trainee, actor=actor,
            source=EnrolmentSource.PROVIDER if provider else EnrolmentSource.INSTITUTION,
        ))
    if created:
        notify(_provider_admins(cohort), subject=_("%(count)s enrolment requests: %(cohort)s")
               % {"count": len(created), "cohort": cohort.title}, url=cohort.get_absolute_url())
    return created, skipped


def _lock(enrolment):
    """Lock the cohort first (seats are counted per cohort), then the enrolment."""
    dashboard_changed()
    cohort = Cohort.objects.select_for_update().select_related("programme__provider").get(
        pk=enrolment.cohort_id
    )
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    watch([locked.trainee_id])
    locked.cohort = cohort
    return cohort, locked


def seats_taken(cohort) -> int:
    return cohort.enrolments.filter(status__in=(E.ENROLLED, E.COMPLETED, E.NOT_COMPLETED,
                                                E.ATTENDED)).count()


def _seat_free(cohort) -> bool:
    return seats_taken(cohort) < cohort.capacity


@transaction.atomic
@tracked
def approve_enrolment(enrolment, *, actor) -> Enrolment:
    """Approve a request: a seat when one is free, otherwise a place on the waiting list."""
    cohort, enrolment = _lock(enrolment)
    if cohort.status not in (CohortStatus.OPEN, CohortStatus.RUNNING):
        raise ValidationError(_("This cohort no longer takes enrolments."), code="closed")
    target = E.ENROLLED if _seat_free(cohort) else E.WAITLISTED
    now = timezone.now()
    ENROLMENT_WORKFLOW.check(enrolment, target, actor=actor, reason="")
    enrolment.decided_at = now
    if target == E.WAITLISTED:
        enrolment.waitlisted_at = now
    ENROLMENT_WORKFLOW.apply(enrolment, target, actor=actor)
    subject = (_("Your enrolment is confirmed: %(cohort)s") if target == E.ENROLLED
               else _("You are on the waiting list: %(cohort)s")) % {"cohort": cohort.title}
    notify([enrolment.trainee], subject=subject, url=enrolment.get_absolute_url())
    return enrolment


@transaction.atomic
@tracked
def reject_enrolment(enrolment, *, actor, reason: str) -> Enrolment:
    cohort, enrolment = _lock(enrolment)
    enrolment.decided_at = timezone.now()
    ENROLMENT_WORKFLOW.apply(enrolment, E.REJECTED, actor=actor, reason=reason)
    notify([enrolment.trainee], subject=_("Your enrolment was not accepted: %(cohort)s")
           % {"cohort": cohort.title}, body=reason, url=enrolment.get_absolute_url())
    return enrolment


@transaction.atomic
@tracked
def withdraw_enrolment(enrolment, *, actor, reason: str = "") -> Enrolment:
    """Withdraw; a freed seat goes to the first person on the waiting list."""
    cohort, enrolment = _lock(enrolment)
    if cohort.status in (CohortStatus.FINISHED, CohortStatus.CANCELLED):
        raise ValidationError(_("This cohort has ended."), code="closed")
    held_seat = enrolment.status == E.ENROLLED
    ENROLMENT_WORKFLOW.apply(enrolment, E.WITHDRAWN, actor=actor, reason=reason)
    if actor is None or actor.pk != enrolment.trainee_id:
        notify([enrolment.trainee], subject=_("Your enrolment was withdrawn: %(cohort)s")
               % {"cohort": cohort.title}, body=reason, url=enrolment.get_absolute_url())
    if held_seat:
        promote_waitlist(cohort, actor=actor)
    return enrolment


def promote_waitlist(cohort, *, actor) -> list[Enrolment]:
    """Fill free seats from the waiting list, first come first served (caller holds the lock)."""
    promoted = []
    while _seat_free(cohort):
        nxt = (cohort.enrolments.select_for_update().filter(status=E.WAITLISTED)
               .order_by("waitlisted_at", "id").first())
        if nxt is None:
            break
        watch([nxt.trainee_id])
        ENROLMENT_WORKFLOW.apply(nxt, E.ENROLLED, actor=actor,
                                 reason=_("A seat became free."))
        notify([nxt.trainee], subject=_("A seat became free; you are enrolled: %(cohort)s")
               % {"cohort": cohort.title}, url=nxt.get_absolute_url())
        promoted.append(nxt)
    return promoted


def waitlist_position(enrolment) -> int | None:
    if enrolment.status != E.WAITLISTED:
        return None
    return enrolment.cohort.enrolments.filter(
        status=E.WAITLISTED, waitlisted_at__lt=enrolment.waitlisted_at
    ).count() + 1


def withdraw_all(cohort, *, actor, reason: str) -> None:
    """A cancelled cohort withdraws every active enrolment and tells each trainee."""
    dashboard_changed()
    watch(cohort.enrolments.filter(status__in=ACTIVE_ENROLMENT)
          .values_list("trainee_id", flat=True))
    for enrolment in cohort.enrolments.select_for_update().filter(status__in=ACTIVE_ENROLMENT):
        ENROLMENT_WORKFLOW.apply(enrolment, E.WITHDRAWN, actor=actor, reason=reason)
        notify([enrolment.trainee], subject=_("The cohort was cancelled: %(cohort)s")
               % {"cohort": cohort.title}, body=reason, url=enrolment.get_absolute_url())
