"""Every write to organisations and institution registrations (audited, atomic)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import User
from tmhub.core.access import CHANGE, get_scope, require_can
from tmhub.core.audit import record_change, snapshot
from tmhub.core.conflicts import ensure_unchanged
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.core.validators import normalize_credit_code
from tmhub.core.workflow import Transition, Workflow
from tmhub.orgs.choices import OPEN_REGISTRATION_STATUSES, RegistrationEvent
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.models import InstitutionRegistration, Organization

ORG_FIELDS = [
    "name", "name_en", "kind", "credit_code", "institution_code", "supervising_department",
    "district", "has_transfer_office", "address", "website", "description", "contact_name",
    "contact_phone", "contact_email", "is_active",
]


# An organisation's identity: its legal name, its kind and its credit code. The kind decides
# which department oversees it (a university is the education commission's), so only the city's
# administrators change them; everyone else who may edit the record edits the rest.
CITY_ONLY_FIELDS = ("name", "kind", "credit_code")


def _require_city_for_identity(actor, organization, values) -> None:
    if actor is None or get_scope(actor).is_municipal:
        return
    errors = {
        name: ValidationError(
            _("Only the city's administrators change an organisation's legal name, kind and "
              "credit code."),
            code="city_only",
        )
        for name in CITY_ONLY_FIELDS
        if name in values and values[name] != getattr(organization, name)
    }
    if errors:
        raise ValidationError(errors)


def _full_clean(obj, exclude=None):
    obj.full_clean(exclude=exclude)


@transaction.atomic
def create_organization(*, actor, fields=(), **values) -> Organization:
    """Create an organisation after validating every field (credit code check digit included)."""
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
    require_can(actor, organization, CHANGE)
    before = snapshot(organization)
    if "credit_code" in values:
        values["credit_code"] = normalize_credit_code(values["credit_code"]) or None
    _require_city_for_identity(actor, organization, values)
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

def _is_org_admin(scope, registration) -> bool:
    # Superusers may act for an institution (data fixes, demo set-up); they are audited too.
    return scope.is_superuser or registration.organization_id in scope.orgs("institution_admin")


def _is_municipal(scope, registration) -> bool:
    return scope.is_municipal


REGISTRATION_WORKFLOW = Workflow(
    [
        Transition(S.DRAFT, S.SUBMITTED, _is_org_admin, RegistrationEvent.SUBMITTED,
                   label=gettext_lazy("Submit")),
        Transition(S.RETURNED, S.SUBMITTED, _is_org_admin, RegistrationEvent.SUBMITTED,
                   label=gettext_lazy("Resubmit")),
        Transition(S.SUBMITTED, S.APPROVED, _is_municipal, RegistrationEvent.APPROVED,
                   label=gettext_lazy("Approve")),
        Transition(S.SUBMITTED, S.RETURNED, _is_municipal, RegistrationEvent.RETURNED,
                   needs_reason=True, label=gettext_lazy("Return for changes")),
        Transition(S.SUBMITTED, S.REJECTED, _is_municipal, RegistrationEvent.REJECTED,
                   needs_reason=True, label=gettext_lazy("Reject")),
    ]
)

REGISTRATION_FIELDS = [
    "premises_address", "premises_area", "fulltime_staff", "has_written_rules", "rules_summary",
    "business_scope",
]


@transaction.atomic
def create_registration(*, actor, organization: Organization, **values):
    """Start a registration application (draft) for an organisation: its own institution
    administrators apply (the city may enter one on their behalf); anyone else is refused as if
    the organisation did not exist."""
    scope = get_scope(actor)
    if actor is not None and not scope.is_municipal and (
            organization.pk not in scope.orgs(Role.INSTITUTION_ADMIN)):
        raise Http404
    if InstitutionRegistration.objects.filter(
        organization=organization, status__in=OPEN_REGISTRATION_STATUSES
    ).exists():
        raise ValidationError(
            _("This organisation already has an open or approved registration."),
            code="registration_exists",
        )
    registration = InstitutionRegistration(
        organization=organization, created_by=actor,
        **{k: v for k, v in values.items() if k in REGISTRATION_FIELDS},
    )
    registration.full_clean()
    registration.save()
    record_change(actor=actor, obj=registration, action=ObjectChange.Action.CREATE, before=None)
    return registration


@transaction.atomic
def update_registration(registration, *, actor, **values):
    """Edit an application while it is a draft or returned for changes."""
    registration = InstitutionRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in (S.DRAFT, S.RETURNED):
        raise ValidationError(
            _("Only a draft or a returned application can be edited."), code="not_editable"
        )
    before = snapshot(registration)
    for key, value in values.items():
        if key in REGISTRATION_FIELDS:
            setattr(registration, key, value)
    registration.full_clean()
    registration.save()
    record_change(actor=actor, obj=registration, action=ObjectChange.Action.UPDATE, before=before)
    return registration


def _check_submittable(registration) -> None:
    errors = {}
    if registration.organization.district_id is None:
        errors["premises_address"] = _("Only Beijing-based institutions (with a district) can "
                                       "register.")
    if not registration.premises_address.strip():
        errors["premises_address"] = _("A fixed premises address is required.")
    if registration.fulltime_staff < 1:
        errors["fulltime_staff"] = _("The institution must have full-time staff.")
    if not registration.has_written_rules:
        errors["has_written_rules"] = _("Written management rules are required.")
    if not registration.business_scope.strip():
        errors["business_scope"] = _("The business scope is required.")
    if errors:
        raise ValidationError(errors, code="incomplete")


def _org_admins(organization):
    return User.objects.filter(
        memberships__organization=organization, memberships__role=Role.INSTITUTION_ADMIN,
        memberships__is_active=True,
    ).distinct()


def _municipal_admins():
    return User.objects.filter(
        memberships__role=Role.MUNICIPAL_ADMIN, memberships__is_active=True
    ).distinct()


@transaction.atomic
def transition_registration(registration, target: str, *, actor, reason: str = "",
                            expected_status=None):
    """The one way a registration changes status; checks the map, audits, notifies.

    `expected_status`: the status the caller saw; if the locked row holds another one, someone
    else moved it meanwhile and the step is refused with ConflictError (409)."""
    registration = (
        InstitutionRegistration.objects.select_for_update()
        .select_related("organization")
        .get(pk=registration.pk)
    )
    ensure_unchanged(expected_status, registration.status)
    REGISTRATION_WORKFLOW.check(registration, target, actor=actor, reason=reason)
    if target == S.SUBMITTED:
        _check_submittable(registration)
        registration.submitted_at = timezone.now()
    if target in (S.APPROVED, S.REJECTED):
        registration.decided_at = timezone.now()
    if target == S.APPROVED:
        year = timezone.localdate().year
        registration.registry_number = f"BJTTO-{year}-{next_value('tto-registry'):05d}"
    REGISTRATION_WORKFLOW.apply(registration, target, actor=actor, reason=reason)
    url = registration.get_absolute_url()
    if target == S.SUBMITTED:
        notify(_municipal_admins(), subject=_("Institution registration submitted: %(org)s")
               % {"org": registration.organization.name}, url=url)
    else:
        notify(_org_admins(registration.organization),
               subject=_("Your institution registration is now: %(status)s")
               % {"status": registration.get_status_display()}, body=reason, url=url)
    return registration
