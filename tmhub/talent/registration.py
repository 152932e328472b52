"""入库登记: the registration workflow of technology managers.

draft → submitted → endorsed (employer's institution administrator) → under_review (city) →
registered (registry number BJTM-<year>-<nnnnn>, never reused) | returned (comments per field) |
rejected; registered → suspended → registered (reinstated); registered/suspended → revoked.

`REGISTRATION_WORKFLOW` is the one map: who may take each step (the registration policy's
verbs), what must hold first (guards) and what else happens (effects: the registry number, the
profile listed or not, the manager role given or ended). `transition_registration` locks the
row and takes the step through it; it is the only way a status changes.

申请入库 is one step (`apply_for_registration`): a complete profile is submitted at once, an
incomplete one is refused with every missing field (`SUBMIT_REQUIREMENTS`, which the profile
form marks required). The employer's endorsement and the city's decisions carry an opinion
(required to return, reject, suspend or revoke; optional to endorse or approve) that the
applicant reads on the registration (`opinions`) and in the notification; `confirmation`
says in words what a step did.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.accounts.services import grant_membership, revoke_membership
from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.core.workflow import Button, Transition, TransitionError, Workflow
from tmhub.talent import documents as docs
from tmhub.talent import services
from tmhub.talent.choices import (
    ACTIVE_REGISTRATION_STATUSES,
    EDITABLE_REGISTRATION_STATUSES,
    RegistrationEvent,
)
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
# What a submission needs, in the profile form's order: (profile field, held?, message). The
# profile form marks exactly these fields required (`forms.ProfileForm`), so whatever the
# submit check asks for, the form has already said is required.
SUBMIT_REQUIREMENTS = (
    ("id_number", lambda p: bool(p.id_number_digest),
     gettext_lazy("The ID number is required.")),
    ("work_district", lambda p: bool(p.work_district_id),
     gettext_lazy("The work district is required.")),
    ("degree", lambda p: bool(p.degree), gettext_lazy("The highest degree is required.")),
    ("fields", lambda p: p.fields.exists(), gettext_lazy("Choose at least one industry field.")),
    ("competences", lambda p: p.competences.exists(),
     gettext_lazy("Choose at least one competence.")),
    ("bio", lambda p: bool(p.bio.strip()), gettext_lazy("Write a short public bio.")),
)
SUBMIT_REQUIRED_FIELDS = tuple(name for name, _held, _message in SUBMIT_REQUIREMENTS)


def field_label(name: str) -> str:
    """The profile form's label of a profile field (the ID number is a form-only field)."""
    if name == "id_number":
        return _("ID number")
    return capfirst(ManagerProfile._meta.get_field(name).verbose_name)


def missing_fields(profile: ManagerProfile) -> list[tuple[str, str, str]]:
    """(field, label, message) for every requirement `profile` does not meet yet."""
    return [(name, field_label(name), str(message))
            for name, held, message in SUBMIT_REQUIREMENTS if not held(profile)]


def check_complete(profile: ManagerProfile) -> None:
    """Field errors (code `required`) for everything a reviewer needs before an application
    can be submitted."""
    missing = missing_fields(profile)
    if missing:
        raise ValidationError(
            {name: ValidationError(message, code="required") for name, _l, message in missing},
            code="incomplete",
        )


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
               label=gettext_lazy("Endorse"), asks_reason=True,
               effects=(_keep_reason, _stamp_endorsed), style="success"),
    Transition(S.SUBMITTED, S.RETURNED, _may("endorse"), RegistrationEvent.RETURNED,
               needs_reason=True, label=gettext_lazy("Return for changes"),
               effects=(_keep_reason, _keep_comments), style="warning"),
    Transition(S.ENDORSED, S.UNDER_REVIEW, _may("review"), RegistrationEvent.REVIEW_STARTED,
               label=gettext_lazy("Start review"), effects=PLAIN, style="success"),
    Transition(S.UNDER_REVIEW, S.REGISTERED, _may("review"), RegistrationEvent.REGISTERED,
               label=gettext_lazy("Approve and register"), asks_reason=True, effects=REGISTER,
               style="success"),
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

# The longest opinion (reason) a step takes.
MAX_OPINION_CHARS = 2000
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


@transaction.atomic
def apply_for_registration(*, actor, profile: ManagerProfile, statement: str = "",
                           documents=()) -> ManagerRegistration:
    """申请入库 in one step: open a registration (or take the person's draft or returned
    one), attach the supporting documents, submit.

    `documents`: (kind, form field, upload) triples (`documents.document_uploads`). Everything
    is checked before anything is written: an incomplete profile is refused with every missing
    field (code `required`), a bad file with its field; then nothing is created or stored."""
    profile = ManagerProfile.objects.select_for_update().get(pk=profile.pk)
    policies.require(actor, "change", profile)
    current = active_registration(profile)
    if current is not None and current.status not in EDITABLE_REGISTRATION_STATUSES:
        raise ValidationError(
            _("This technology manager already has an active registration (%(status)s).")
            % {"status": current.get_status_display()},
            code="registration_exists",
        )
    probe = current or ManagerRegistration(profile=profile)
    errors = {}
    for check in (lambda: REGISTRATION_WORKFLOW.check(probe, S.SUBMITTED, actor=actor),
                  lambda: docs.validate_document_list(list(documents))):
        try:
            check()
        except TransitionError:
            raise  # not theirs to submit: said once, not per field
        except ValidationError as exc:
            for key, items in exc.update_error_dict({}).items():
                errors.setdefault(key, []).extend(items)
    if errors:
        raise ValidationError(errors, code="incomplete")
    if current is None:
        registration = start_registration(actor=actor, profile=profile, statement=statement)
    else:
        registration = current
        if statement.strip() and statement != registration.statement:
            before = snapshot(registration)
            registration.statement = statement
            registration.full_clean()
            registration.save(update_fields=["statement", "updated_at"])
            record_change(actor=actor, obj=registration, action=ObjectChange.Action.UPDATE,
                          before=before)
    for kind, field, upload in documents:
        docs.add_document(registration, actor=actor, kind=kind, upload=upload, field=field)
    return transition_registration(registration, S.SUBMITTED, actor=actor,
                                   expected_status=registration.status)


def confirmation(registration: ManagerRegistration, source: str) -> str:
    """What just happened, in words, for the person who took the step (UI and API)."""
    target = registration.status
    if target == S.SUBMITTED:
        if registration.profile.employer_id:
            return _("Submitted: waiting for your employer's endorsement.")
        return _("Submitted: waiting for the city's endorsement.")
    if target == S.ENDORSED:
        return _("Endorsed: the application now waits for the municipal review.")
    if target == S.UNDER_REVIEW:
        return _("Review started: approve, return or reject the application.")
    if target == S.REGISTERED and source == S.SUSPENDED:
        return _("Reinstated: listed again under %(number)s.") % {
            "number": registration.registry_number}
    if target == S.REGISTERED:
        return _("Approved: registry number %(number)s issued; the manager is listed in the "
                 "public directory.") % {"number": registration.registry_number}
    if target == S.RETURNED:
        return _("Returned for changes: the applicant sees your opinion and can resubmit.")
    if target == S.REJECTED:
        return _("Not approved: the applicant sees your opinion.")
    if target == S.SUSPENDED:
        return _("Suspended: the manager is hidden from the public directory until "
                 "reinstated.")
    if target == S.REVOKED:
        return _("Revoked: the manager is removed from the directory and no longer acts for "
                 "the employer.")
    return registration.get_status_display()


def opinions(registration: ManagerRegistration) -> list[dict]:
    """The opinions given with each step (endorsement, the city's decisions), oldest first:
    what the applicant reads on their registration page and in the API."""
    labels = dict(RegistrationEvent.choices)
    events = (
        WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(ManagerRegistration),
            object_id=str(registration.pk), event_type__in=list(labels),
        ).exclude(reason="").order_by("time", "id")
    )
    return [{"time": e.time, "step": str(labels[e.event_type]), "to_state": e.to_state,
             "by": e.actor_name, "text": e.reason} for e in events]


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
    if len(reason or "") > MAX_OPINION_CHARS:
        raise field_error("reason", _("Keep the opinion under %(count)s characters.")
                          % {"count": MAX_OPINION_CHARS}, "max_length")
    comments = _clean_comments(field_comments) if target == COMMENTED_STEP else {}
    REGISTRATION_WORKFLOW.transition(
        registration, target, actor=actor, reason=reason or "", locked=True,
        data={"field_comments": comments} if comments else None,
    )
    _notify(registration, target, reason, actor)
    return registration


def _endorsers(profile) -> list:
    """Who may endorse the application (RegistrationPolicy.can_endorse), so only they are asked:
    the employer's institution administrators, the city for a manager without an employer. An
    employer without an administrator leaves it to the platform's superusers; the city, which
    cannot endorse for an employer, is told once it is endorsed (it used to be told both)."""
    if not profile.employer_id:
        return list(users_with_role(Role.MUNICIPAL_ADMIN))
    admins = list(users_with_role(Role.INSTITUTION_ADMIN, organization=profile.employer_id))
    if admins:
        return admins
    from tmhub.accounts.models import User

    return list(User.objects.filter(is_superuser=True, is_active=True))


def _notify(registration, target, reason, actor=None) -> None:
    profile = registration.profile
    url = registration.get_absolute_url()
    employer_admins = (
        list(users_with_role(Role.INSTITUTION_ADMIN, organization=profile.employer_id))
        if profile.employer_id else []
    )
    me = getattr(actor_user(actor), "pk", None)
    name = {"name": profile.full_name}
    if target == S.SUBMITTED:
        notify(_endorsers(profile), kind="talent.registration_to_endorse", about=registration,
               subject=gettext_lazy("Technology-manager registration to endorse: %(name)s"),
               params=name, url=url)
    elif target == S.ENDORSED:
        # The city reviews next; a city officer who endorsed it needs no message about it.
        city = [u for u in users_with_role(Role.MUNICIPAL_ADMIN) if u.pk != me]
        notify(city, kind="talent.registration_to_review", about=registration,
               subject=gettext_lazy("Technology-manager registration endorsed: %(name)s"),
               params=name, url=url)
    recipients = [profile.user]
    if target not in (S.SUBMITTED, S.ENDORSED):
        recipients += employer_admins
    opinion = (reason or "").strip()
    notify(recipients, kind="talent.registration_status", about=registration,
           subject=gettext_lazy("Your technology-manager registration is now: %(status)s"),
           body=gettext_lazy("Opinion: %(text)s") if opinion else "",
           params={"status": S(registration.status).label, "text": opinion}, url=url)


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
