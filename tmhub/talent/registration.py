"""入库登记: the registration workflow of technology managers.

draft → submitted → endorsed (employer's institution administrator) → under_review (city) →
registered (registry number BJTM-<year>-<nnnnn>, never reused) | returned (comments per field) |
rejected; registered → suspended → registered (reinstated); registered/suspended → revoked.
`transition_registration` is the only way a status changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import User
from tmhub.accounts.services import grant_membership, revoke_membership
from tmhub.core.audit import record_change
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.core.workflow import Transition, TransitionError, Workflow
from tmhub.talent.choices import ACTIVE_REGISTRATION_STATUSES, RegistrationEvent
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import ManagerProfile, ManagerRegistration
from tmhub.talent.services import refresh_search_text

# Profile fields a reviewer may comment on when returning an application.
COMMENTABLE_FIELDS = [
    "full_name", "id_number", "employer", "work_district", "degree", "school", "major",
    "discipline", "competences", "fields", "languages", "training_level",
    "professional_title", "entry_route", "bio", "photo", "statement",
]


def _is_applicant(scope, registration) -> bool:
    return (
        scope.is_superuser
        or registration.profile.user_id == scope.user_id
        or registration.profile.employer_id in scope.orgs("institution_admin")
    )


def _is_employer_admin(scope, registration) -> bool:
    employer_id = registration.profile.employer_id
    if employer_id is None:
        # Independent (e.g. recruited) managers have no employer to endorse them.
        return scope.is_municipal
    return scope.is_superuser or employer_id in scope.orgs("institution_admin")


def _is_municipal(scope, registration) -> bool:
    return scope.is_municipal


REGISTRATION_WORKFLOW = Workflow([
    Transition(S.DRAFT, S.SUBMITTED, _is_applicant, RegistrationEvent.SUBMITTED,
               label=gettext_lazy("Submit")),
    Transition(S.RETURNED, S.SUBMITTED, _is_applicant, RegistrationEvent.SUBMITTED,
               label=gettext_lazy("Resubmit")),
    Transition(S.SUBMITTED, S.ENDORSED, _is_employer_admin, RegistrationEvent.ENDORSED,
               label=gettext_lazy("Endorse")),
    Transition(S.SUBMITTED, S.RETURNED, _is_employer_admin, RegistrationEvent.RETURNED,
               needs_reason=True, label=gettext_lazy("Return for changes")),
    Transition(S.ENDORSED, S.UNDER_REVIEW, _is_municipal, RegistrationEvent.REVIEW_STARTED,
               label=gettext_lazy("Start review")),
    Transition(S.UNDER_REVIEW, S.REGISTERED, _is_municipal, RegistrationEvent.REGISTERED,
               label=gettext_lazy("Approve and register")),
    Transition(S.UNDER_REVIEW, S.RETURNED, _is_municipal, RegistrationEvent.RETURNED,
               needs_reason=True, label=gettext_lazy("Return for changes")),
    Transition(S.UNDER_REVIEW, S.REJECTED, _is_municipal, RegistrationEvent.REJECTED,
               needs_reason=True, label=gettext_lazy("Reject")),
    Transition(S.REGISTERED, S.SUSPENDED, _is_municipal, RegistrationEvent.SUSPENDED,
               needs_reason=True, label=gettext_lazy("Suspend")),
    Transition(S.SUSPENDED, S.REGISTERED, _is_municipal, RegistrationEvent.REINSTATED,
               needs_reason=True, label=gettext_lazy("Reinstate")),
    Transition(S.REGISTERED, S.REVOKED, _is_municipal, RegistrationEvent.REVOKED,
               needs_reason=True, label=gettext_lazy("Revoke")),
    Transition(S.SUSPENDED, S.REVOKED, _is_municipal, RegistrationEvent.REVOKED,
               needs_reason=True, label=gettext_lazy("Revoke")),
])


def active_registration(profile) -> ManagerRegistration | None:
    return profile.registrations.filter(status__in=ACTIVE_REGISTRATION_STATUSES).first()


@transaction.atomic
def start_registration(*, actor, profile: ManagerProfile, statement: str = ""):
    """Open a draft registration; a person holds at most one active registration."""
    profile = ManagerProfile.objects.select_for_update().get(pk=profile.pk)
    current = active_registration(profile)
    if current is not None:
        raise ValidationError(
            _("This technology manager already has an active registration (%(status)s).")
            % {"status": current.get_status_display()},
            code="registration_exists",
        )
    registration = ManagerRegistration(profile=profile, statement=statement, created_by=actor)
    registration.full_clean()
    registration.save()
    record_change(actor=actor, obj=registration, action=ObjectChange.Action.CREATE, before=None)
    return registration


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


def _users_with_role(role, organization_id=None):
    qs = User.objects.filter(memberships__role=role, memberships__is_active=True)
    if organization_id is not None:
        qs = qs.filter(memberships__organization_id=organization_id)
    return list(qs.distinct())


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


def _issue_number(registration) -> None:
    if registration.registry_number:
        return  # reinstated: the number stays with the person
    year = timezone.localdate().year
    registration.registry_number = f"BJTM-{year}-{next_value(f'talent-registry-{year}'):05d}"


def _sync_profile(registration, *, listed: bool) -> None:
    profile = registration.profile
    profile.is_listed = listed
    if registration.registry_number:
        profile.registry_number = registration.registry_number
        profile.registered_at = profile.registered_at or timezone.now()
    profile.save(update_fields=["is_listed", "registry_number", "registered_at", "updated_at"])
    refresh_search_text(profile)


@transaction.atomic
def transition_registration(registration, target: str, *, actor, reason: str = "",
                            field_comments=None, expected_status=None):
    """The one way a registration changes status: checks the map, audits, notifies.

    `expected_status`: the status the caller saw; if the locked row holds another one, someone
    else moved it meanwhile and the step is refused with ConflictError (409)."""
    registration = (
        ManagerRegistration.objects.select_for_update(of=("self",))
        .select_related("profile", "profile__employer", "profile__user")
        .get(pk=registration.pk)
    )
    ensure_unchanged(expected_status, registration.status)
    REGISTRATION_WORKFLOW.check(registration, target, actor=actor, reason=reason)
    comments = _clean_comments(field_comments) if target == S.RETURNED else {}
    now = timezone.now()
    if target == S.SUBMITTED:
        check_complete(registration.profile)
        registration.submitted_at = now
        registration.field_comments = {}
    elif target == S.ENDORSED:
        registration.endorsed_at = now
        registration.endorsed_by = actor if getattr(actor, "pk", None) else None
    elif target == S.RETURNED:
        registration.field_comments = comments
    elif target == S.REGISTERED:
        _issue_number(registration)
    if target in (S.REGISTERED, S.REJECTED) and registration.decided_at is None:
        registration.decided_at = now
    registration.last_reason = reason or ""
    REGISTRATION_WORKFLOW.apply(registration, target, actor=actor, reason=reason,
                                data={"field_comments": comments} if comments else None)
    profile = registration.profile
    if target == S.REGISTERED:
        _sync_profile(registration, listed=True)
        if profile.employer_id:
            grant_membership(actor=actor if getattr(actor, "pk", None) else None,
                             user=profile.user, role=Role.MANAGER,
                             organization=profile.employer)
    elif target in (S.SUSPENDED, S.REVOKED):
        _sync_profile(registration, listed=False)
    if target == S.REVOKED:
        # A revoked manager no longer acts for the employer; a suspended one keeps the role to
        # file the overdue report and be reinstated.
        for membership in profile.user.memberships.filter(role=Role.MANAGER, is_active=True):
            revoke_membership(membership, actor=actor if getattr(actor, "pk", None) else None,
                              reason=reason)
    _notify(registration, target, reason)
    return registration


def _notify(registration, target, reason) -> None:
    profile = registration.profile
    url = registration.get_absolute_url()
    employer_admins = (
        _users_with_role(Role.INSTITUTION_ADMIN, profile.employer_id)
        if profile.employer_id else []
    )
    status = registration.get_status_display()
    if target == S.SUBMITTED:
        notify(employer_admins or _users_with_role(Role.MUNICIPAL_ADMIN),
               subject=_("Technology-manager registration to endorse: %(name)s")
               % {"name": profile.full_name}, url=url)
    elif target == S.ENDORSED:
        notify(_users_with_role(Role.MUNICIPAL_ADMIN),
               subject=_("Technology-manager registration endorsed: %(name)s")
               % {"name": profile.full_name}, url=url)
    recipients = [profile.user]
    if target not in (S.SUBMITTED, S.ENDORSED):
        recipients += employer_admins
    notify(recipients, subject=_("Your technology-manager registration is now: %(status)s")
           % {"status": status}, body=reason, url=url)


def bulk_approve(registrations, *, actor, reason: str = "") -> tuple[list, dict]:
    """Approve many endorsed / under-review registrations; each in its own transaction.

    Returns (registered, {pk: error message}) so one bad row does not block the others.
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
