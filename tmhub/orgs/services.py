"""Every write to organisations and institution registrations (audited, atomic)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.validators import normalize_credit_code
from tmhub.orgs.change_requests import (
    CHANGE_REQUEST_WORKFLOW,
    REQUESTABLE_FIELDS,
    ChangeRequestStatus,
    IdentityChangeRequest,
)
from tmhub.orgs.choices import EDITABLE_REGISTRATION_STATUSES, OPEN_REGISTRATION_STATUSES
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.models import InstitutionRegistration, Organization
from tmhub.orgs.policies import IDENTITY_FIELDS
from tmhub.orgs.workflows import REGISTRATION_WORKFLOW

ORG_FIELDS = [
    "name", "name_en", "kind", "credit_code", "institution_code", "supervising_department",
    "district", "has_transfer_office", "address", "website", "description", "contact_name",
    "contact_phone", "contact_email", "is_active",
]


def _refuse_identity_change(actor, organization, values) -> None:
    """Identity fields (legal name, kind, credit code) change only for whom the policy lets."""
    if policies.allows(actor, "change_identity", organization):
        return
    errors = {
        name: ValidationError(
            _("Only the city's administrators change an organisation's legal name, kind and "
              "credit code: request a change, and the city reviews it."),
            code="city_only",
        )
        for name in sorted(IDENTITY_FIELDS)
        if name in values and values[name] != getattr(organization, name)
    }
    if errors:
        raise ValidationError(errors)


def _full_clean(obj, exclude=None):
    obj.full_clean(exclude=exclude)


@transaction.atomic
def create_organization(*, actor, fields=(), **values) -> Organization:
    """Create an organisation after validating every field (credit code check digit included).
    Only those the policy lets add to the registry (the city, SYSTEM); others get 404."""
    policies.require(actor, "create", Organization)
    if values.get("credit_code"):
        values["credit_code"] = normalize_credit_code(values["credit_code"])
    else:
        values["credit_code"] = None
    organization = Organization(**{k: v for k, v in values.items() if k in ORG_FIELDS})
    _full_clean(organization)
    organization.save()
    if fields:
        organization.fields.set(fields)
    record_change(actor=actor, obj=organization, action=ObjectChange.Action.CREATE, before=None)
    return organization


@transaction.atomic
def update_organization(organization: Organization, *, actor, fields=None, **values):
    """Change an organisation; the row is locked so two editors cannot overwrite each other."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    policies.require(actor, CHANGE, organization)
    before = snapshot(organization)
    if "credit_code" in values:
        values["credit_code"] = normalize_credit_code(values["credit_code"]) or None
    _refuse_identity_change(actor, organization, values)
    for key, value in values.items():
        if key in ORG_FIELDS:
            setattr(organization, key, value)
    _full_clean(organization)
    organization.save()
    if fields is not None:
        organization.fields.set(fields)
    record_change(actor=actor, obj=organization, action=ObjectChange.Action.UPDATE, before=before)
    return organization


# --- institution registration -----------------------------------------------------------

REGISTRATION_FIELDS = [
    "premises_address", "premises_area", "fulltime_staff", "has_written_rules", "rules_summary",
    "business_scope",
]


@transaction.atomic
def create_registration(*, actor, organization: Organization, **values):
    """Start a registration application (draft) for an organisation. Who may is the policy's
    `register_institution` (whoever acts for the institution: its administrators); anyone else
    is refused as if the organisation did not exist (404)."""
    policies.require(actor, "register_institution", organization)
    if InstitutionRegistration.objects.filter(
        organization=organization, status__in=OPEN_REGISTRATION_STATUSES
    ).exists():
        raise ValidationError(
            _("This organisation already has an open or approved registration."),
            code="registration_exists",
        )
    registration = InstitutionRegistration(
        organization=organization, created_by=actor_user(actor),
        **{k: v for k, v in values.items() if k in REGISTRATION_FIELDS},
    )
    REGISTRATION_WORKFLOW.set_initial(registration, S.DRAFT)
    registration.full_clean(exclude=["created_by"])  # empty when SYSTEM creates it
    registration.save()
    record_change(actor=actor, obj=registration, action=ObjectChange.Action.CREATE, before=None)
    return registration


@transaction.atomic
def update_registration(registration, *, actor, **values):
    """Edit an application while it is a draft or returned for changes, for whoever may change
    it (the policy). Out of scope is 404; another status is `not_editable`, even for SYSTEM."""
    registration = InstitutionRegistration.objects.select_for_update().get(pk=registration.pk)
    policies.require(actor, CHANGE, registration)
    if registration.status not in EDITABLE_REGISTRATION_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned application can be edited."), code="not_editable"
        )
    before = snapshot(registration)
    for key, value in values.items():
        if key in REGISTRATION_FIELDS:
            setattr(registration, key, value)
    registration.full_clean(exclude=["created_by"])
    registration.save()
    record_change(actor=actor, obj=registration, action=ObjectChange.Action.UPDATE, before=before)
    return registration


@transaction.atomic
def transition_registration(registration, target: str, *, actor, reason: str = "",
                            expected_status=None):
    """The one way a registration changes status: REGISTRATION_WORKFLOW checks, applies its
    effects, saves and audits; then the other side is notified.

    `expected_status`: the status the caller saw; if the locked row holds another one, someone
    else moved it meanwhile and the step is refused with ConflictError (409)."""
    registration = (
        InstitutionRegistration.objects.select_for_update()
        .select_related("organization")
        .get(pk=registration.pk)
    )
    ensure_unchanged(expected_status, registration.status)
    REGISTRATION_WORKFLOW.transition(registration, target, actor=actor, reason=reason,
                                     locked=True)
    url = registration.get_absolute_url()
    if target == S.SUBMITTED:
        notify(users_with_role(Role.MUNICIPAL_ADMIN), kind="orgs.registration_submitted",
               about=registration,
               subject=gettext_lazy("Institution registration submitted: %(org)s"),
               params={"org": registration.organization.name}, url=url)
    else:
        notify(users_with_role(Role.INSTITUTION_ADMIN, organization=registration.organization),
               kind="orgs.registration_decided", about=registration,
               subject=gettext_lazy("Your institution registration is now: %(status)s"),
               params={"status": S(registration.status).label}, body=reason, url=url)
    return registration


# --- identity change requests (reviewed by the city) -------------------------------------


def _identity_values(organization, values) -> tuple[dict, dict]:
    """The requested identity values that differ from the record's (credit code normalised),
    and the record's current values of those fields."""
    new = {}
    for name in REQUESTABLE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "credit_code":
            value = normalize_credit_code(value or "") or None
        if value != getattr(organization, name):
            new[name] = value
    return new, {name: getattr(organization, name) for name in new}


@transaction.atomic
def request_identity_change(organization, *, actor, reason: str, **values):
    """Ask the city to change `organization`'s legal name, kind or credit code (who may:
    `IdentityChangeRequestPolicy.can_create`; others get 404). The new values are validated as
    the organisation would validate them (check digit, a code already used elsewhere); nothing
    changes until the city approves."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    policies.require(actor, "create", IdentityChangeRequest(organization=organization))
    new, old = _identity_values(organization, values)
    errors = {}
    if not new:
        errors[NON_FIELD_ERRORS] = [ValidationError(
            _("The requested values are the organisation's current ones: nothing to review."),
            code="no_change",
        )]
    if not (reason or "").strip():
        errors["reason"] = [ValidationError(
            _("Say why the legal name, kind or credit code changes (the city reads it)."),
            code="reason_required",
        )]
    if IdentityChangeRequest.objects.filter(
        organization=organization, status=ChangeRequestStatus.PENDING
    ).exists():
        errors[NON_FIELD_ERRORS] = [ValidationError(
            _("A change request for this organisation is already waiting for review."),
            code="change_request_pending",
        )]
    if new:
        candidate = Organization(**{
            f.attname: getattr(organization, f.attname) for f in Organization._meta.concrete_fields
        })
        for name, value in new.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=[f.name for f in Organization._meta.concrete_fields
                                          if f.name not in new])
        except ValidationError as exc:
            for name, field_errors in exc.error_dict.items():
                errors.setdefault(name, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    change_request = IdentityChangeRequest(
        organization=organization, old_values=old, new_values=new, reason=reason.strip(),
        requested_by=actor_user(actor),
    )
    CHANGE_REQUEST_WORKFLOW.set_initial(change_request, ChangeRequestStatus.PENDING)
    change_request.full_clean(exclude=["requested_by", "old_values", "new_values"])
    change_request.save()
    record_change(actor=actor, obj=change_request, action=ObjectChange.Action.CREATE,
                  before=None, related=organization)
    notify(users_with_role(Role.MUNICIPAL_ADMIN), kind="orgs.identity_change_requested",
           about=change_request,
           subject=gettext_lazy("Identity change requested: %(org)s"),
           params={"org": organization.name},
           body=change_request.reason, url=change_request.get_absolute_url())
    return change_request


@transaction.atomic
def decide_identity_change(change_request, target: str, *, actor, reason: str = "",
                           expected_status=None):
    """Approve (the organisation takes the new values), reject (with an opinion) or withdraw a
    waiting request: one step of CHANGE_REQUEST_WORKFLOW, audited; then the requester's side
    hears of the decision."""
    change_request = (
        IdentityChangeRequest.objects.select_for_update()
        .select_related("organization")
        .get(pk=change_request.pk)
    )
    ensure_unchanged(expected_status, change_request.status)
    limit = IdentityChangeRequest._meta.get_field("opinion").max_length
    if len(reason or "") > limit:
        raise ValidationError(
            {"reason": ValidationError(
                _("Keep the opinion to %(limit)d characters or fewer."),
                code="max_length", params={"limit": limit},
            )}
        )
    CHANGE_REQUEST_WORKFLOW.transition(change_request, target, actor=actor, reason=reason,
                                       locked=True)
    if target != ChangeRequestStatus.WITHDRAWN:
        organization = change_request.organization
        notify(
            [change_request.requested_by], kind="orgs.identity_change_decided",
            about=change_request,
            subject=gettext_lazy("Your identity change request for %(org)s: %(status)s"),
            params={"org": organization.name,
                    "status": ChangeRequestStatus(change_request.status).label},
            body=reason, url=change_request.get_absolute_url(),
        )
    return change_request
