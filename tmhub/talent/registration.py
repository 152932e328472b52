"""入库登记: the registration workflow of technology managers.

draft → submitted → endorsed (employer's institution administrator) → under_review (city) →
registered (registry number BJTM-<year>-<nnnnn>, never reused) | returned (comments per field) |
rejected; registered → suspended → registered (reinstated); registered/suspended → revoked.

`REGISTRATION_WORKFLOW` is the one map: who may take each step (the registration policy's
verbs), what must hold first (guards) and what else happens (effects: the registry number, the
profile listed or not, the manager role given or ended). `transition_registration` locks the
row and takes the step through it; it is the only way a status changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.accounts.services import grant_membership, revoke_membership
from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.core.workflow import Button, Transition, TransitionError, Workflow
from tmhub.talent import services
from tmhub.talent.choices import ACTIVE_REGISTRATION_STATUSES, RegistrationEvent
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import ManagerProfile, ManagerRegistration

# Profile fields a reviewer may comment on when returning an application.
COMMENTABLE_FIELDS = [
    "full_name", "id_number", "employer", "work_district", "degree", "school", "major",
    "discipline", "competences", "fields", "languages", "training_level",
    "professional_title", "entry_route", "bio", "photo", "statement",
]


def _may(verb):
    """A transition's `permitted`: the registration policy's answer for `verb`."""
    return lambda scope, registration: policies.allows(scope, verb, registration)


# ---------------------------------------------------------------- guards
def check_complete(profile: ManagerProfile) -> None:
    """Field errors for everything a reviewer needs before an application can be submitted."""
    errors = {}
    if not profile.id_number_digest:
        errors["id_number"] = _("The ID number is required.")
    if not profile.work_district_id:
        errors["work_district"] = _("The work district is required.")
    if not profile.fields.exists():
        errors["fields"] = _("Choose at least one industry field.")
    if not profile.competences.exists():
        errors["competences"] = _("Choose at least one competence.")
    if not profile.degree:
        errors["degree"] = _("The highest degree is required.")
    if not profile.bio.strip():
        errors["bio"] = _("Write a short public bio.")
    if errors:
        raise ValidationError(errors, code="incomplete")


def _profile_complete(registration) -> None:
    check_complete(registration.profile)


# ---------------------------------------------------------------- effects
def _keep_reason(step) -> None:
    step.obj.last_reason = step.reason


def _stamp_submitted(step) -> None:
    step.obj.submitted_at = timezone.now()
    step.obj.field_comments = {}


def _stamp_endorsed(step) -> None:
    step.obj.endorsed_at = timezone.now()
    step.obj.endorsed_by = actor_user(step.actor)


def _keep_comments(step) -> None:
    step.obj.field_comments = step.data.get("field_comments", {})


def _stamp_decided(step) -> None:
    step.obj.decided_at = step.obj.decided_at or timezone.now()


def _issue_number(step) -> None:
    registration = step.obj
    if registration.registry_number:
        return  # reinstated: the number stays with the person
    year = timezone.localdate().year
    registration.registry_number = f"BJTM-{year}-{next_value(f'talent-registry-{year}'):05d}"


def _list_profile(step) -> None:
    step.obj.profile = services.set_listing(
        step.obj.profile, actor=step.actor, listed=True,
        registry_number=step.obj.registry_number, registration=step.obj)


def _unlist_profile(step) -> None:
    step.obj.profile = services.set_listing(step.obj.profile, actor=step.actor, listed=False,
                                            registration=step.obj)


def _give_manager_role(step) -> None:
    profile = step.obj.profile
    if profile.employer_id:
        grant_membership(actor=step.actor, user=profile.user, role=Role.MANAGER,
                         organization=profile.employer)


def _end_manager_role(step) -> None:
    # A revoked manager no longer acts for the employer; a suspended one keeps the role to
    # file the overdue report and be reinstated.
    for membership in step.obj.profile.user.memberships.filter(role=Role.MANAGER,
                                                               is_active=True):
        revoke_membership(membership, actor=step.actor, reason=step.reason)


SUBMIT = (_keep_reason, _stamp_submitted)
REGISTER = (_keep_reason, _issue_number, _stamp_decided, _list_profile, _give_manager_role)
PLAIN = (_keep_reason,)

REGISTRATION_WORKFLOW = Workflow([
    Transition(S.DRAFT, S.SUBMITTED, _may("submit"), RegistrationEvent.SUBMITTED,
               label=gettext_lazy("Submit"), guards=(_profile_complete,), effects=SUBMIT,
               style="success"),
    Transition(S.RETURNED, S.SUBMITTED, _may("submit"), RegistrationEvent.SUBMITTED,
               label=gettext_lazy("Resubmit"), guards=(_profile_complete,), effects=SUBMIT,
               style="success"),
    Transition(S.SUBMITTED, S.ENDORSED, _may("endorse"), RegistrationEvent.ENDORSED,
               label=gettext_lazy("Endorse"), effects=(_keep_reason, _stamp_endorsed),
               style="success"),
    Transition(S.SUBMITTED, S.RETURNED, _may("endorse"), RegistrationEvent.RETURNED,
               needs_reason=True, label=gettext_lazy("Return for changes"),
               effects=(_keep_reason, _keep_comments), style="warning"),
    Transition(S.ENDORSED, S.UNDER_REVIEW, _may("review"), RegistrationEvent.REVIEW_STARTED,
               label=gettext_lazy("Start review"), effects=PLAIN, style="success"),
    Transition(S.UNDER_REVIEW, S.REGISTERED, _may("review"), RegistrationEvent.REGISTERED,
               label=gettext_lazy("Approve and register"), effects=REGISTER, style="success"),
    Transition(S.UNDER_REVIEW, S.RETURNED, _may("review"), RegistrationEvent.RETURNED,
               needs_reason=True, label=gettext_lazy("Return for changes"),
               effects=(_keep_reason, _keep_comments), style="warning"),
    Transition(S.UNDER_REVIEW, S.REJECTED, _may("review"), RegistrationEvent.REJECTED,
               needs_reason=True, label=gettext_lazy("Reject"),
               effects=(_keep_reason, _stamp_decided), style="warning"),
    Transition(S.REGISTERED, S.SUSPENDED, _may("review"), RegistrationEvent.SUSPENDED,
               needs_reason=True, label=gettext_lazy("Suspend"),
               effects=(_keep_reason, _unlist_profile), style="warning"),
    Transition(S.SUSPENDED, S.REGISTERED, _may("review"), RegistrationEvent.REINSTATED,
               needs_reason=True, label=gettext_lazy("Reinstate"), effects=REGISTER,
               style="success"),
    Transition((S.REGISTERED, S.SUSPENDED), S.REVOKED, _may("review"),
               RegistrationEvent.REVOKED, needs_reason=True, label=gettext_lazy("Revoke"),
               effects=(_keep_reason, _unlist_profile, _end_manager_role), style="warning"),
])

# The step that carries comments per profile field (its form differs from the others').
COMMENTED_STEP = S.RETURNED
# Endorsed applications waiting for the city (the review queue; bulk approval takes them).
AWAITING_DECISION = (S.ENDORSED, S.UNDER_REVIEW)


def registration_buttons(registration, user) -> tuple[list[Button], Button | None]:
    """The steps `user` may take: (the plain ones, the return-with-comments one or None)."""
    buttons = REGISTRATION_WORKFLOW.buttons(registration, user)
    commented = next((b for b in buttons if b.target == COMMENTED_STEP), None)
    return [b for b in buttons if b is not commented], commented


def active_registration(profile) -> ManagerRegistration | None:
    return profile.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES).first()


@transaction.atomic
def start_registration(*, actor, profile: ManagerProfile, statement: str = ""):
    """Open a draft registration; a person holds at most one active registration."""
    profile = ManagerProfile.objects.select_for_update().get(pk=profile.pk)
    policies.require(actor, "change", profile)
    current = active_registration(profile)
    if current is not None:
        raise ValidationError(
            _("This technology manager already has an active registration (%(status)s).")
            % {"status": current.get_status_display()},
            code="registration_exists",
        )
    registration = ManagerRegistration(profile=profile, statement=statement,
                                       created_by=actor_user(actor))
    registration.full_clean()
    registration.save()
    record_change(actor=actor, obj=registration, action=ObjectChange.Action.CREATE, before=None)
    return registration


def _clean_comments(field_comments) -> dict:
    comments = {str(k): str(v).strip() for k, v in (field_comments or {}).items()
                if str(v or "").strip()}
    unknown = sorted(set(comments) - set(COMMENTABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {"field_comments": _("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)}},
            code="invalid",
        )
    return comments


@transaction.atomic
def transition_registration(registration, target: str, *, actor, reason: str = "",
                            field_comments=None, expected_status=None):
    """The one way a registration changes status: locks the row, takes the step through the
    workflow (checks, effects, save, event), then notifies.

    `expected_status`: the status the caller saw; if the locked row holds another one, someone
    else moved it meanwhile and the step is refused with ConflictError (409)."""
    registration = (
        ManagerRegistration.objects.select_for_update(of=("self",))
        .select_related("profile", "profile__employer", "profile__user")
        .get(pk=registration.pk)
    )
    ensure_unchanged(expected_status, registration.status)
    comments = _clean_comments(field_comments) if target == COMMENTED_STEP else {}
    REGISTRATION_WORKFLOW.transition(
        registration, target, actor=actor, reason=reason or "", locked=True,
        data={"field_comments": comments} if comments else None,
    )
    _notify(registration, target, reason)
    return registration


def _notify(registration, target, reason) -> None:
    profile = registration.profile
    url = registration.get_absolute_url()
    employer_admins = (
        list(users_with_role(Role.INSTITUTION_ADMIN, organization=profile.employer_id))
        if profile.employer_id else []
    )
    city = list(users_with_role(Role.MUNICIPAL_ADMIN))
    status = registration.get_status_display()
    if target == S.SUBMITTED:
        notify(employer_admins or city,
               subject=_("Technology-manager registration to endorse: %(name)s")
               % {"name": profile.full_name}, url=url)
    elif target == S.ENDORSED:
        notify(city, subject=_("Technology-manager registration endorsed: %(name)s")
               % {"name": profile.full_name}, url=url)
    recipients = [profile.user]
    if target not in (S.SUBMITTED, S.ENDORSED):
        recipients += employer_admins
    notify(recipients, subject=_("Your technology-manager registration is now: %(status)s")
           % {"status": status}, body=reason, url=url)


def bulk_approve(registrations, *, actor, reason: str = "") -> tuple[list, dict]:
    """Approve many endorsed / under-review registrations; each in its own transaction.

    An endorsed one is first taken into review. Returns (registered, {pk: error message}) so
    one bad row does not block the others.
    """
    done, failed = [], {}
    for registration in registrations:
        try:
            with transaction.atomic():
                if registration.status == S.ENDORSED:
                    registration = transition_registration(registration, S.UNDER_REVIEW,
                                                           actor=actor, reason=reason)
                done.append(transition_registration(registration, S.REGISTERED, actor=actor,
                                                    reason=reason))
        except (TransitionError, ValidationError) as exc:
            failed[registration.pk] = " ".join(exc.messages)
    return done, failed
