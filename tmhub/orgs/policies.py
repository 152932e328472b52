"""Who may see and change organisations and institution registrations, and who registers one.

The registry of organisations is public; its contact details are shown to those who may edit
the record. An organisation is edited by the city, by the department that oversees its kind
(the education commission for universities) and by its own administrators; its identity (legal
name, kind, credit code) only by the city. A technology-transfer institution is registered and
submitted by its own administrators (superusers may act for one: data fixes, demo set-up); the
city decides on it.
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.orgs.choices import EDITABLE_REGISTRATION_STATUSES, RegistrationStatus
from tmhub.orgs.models import InstitutionRegistration, Organization

# An organisation's identity: the kind decides which department oversees it, so only the
# city's administrators change these; everyone else who may edit the record edits the rest.
IDENTITY_FIELDS = frozenset({"name", "kind", "credit_code"})

# Shown only to those who may change the record.
CONTACT_FIELDS = frozenset({"address", "contact_name", "contact_phone", "contact_email"})

# The `restrict` action for "organisations this user may register as an institution".
REGISTER_INSTITUTION = "register_institution"

# Roles whose holders edit their own organisation's record.
_EDITOR_ROLES = (Role.INSTITUTION_ADMIN, Role.ENTERPRISE, Role.SERVICE_PROVIDER)


def acts_for_institution(scope, organization_id) -> bool:
    """Does `scope` act for that institution (apply, submit): its administrators do, and
    superusers may (data fixes, demo set-up; audited like anyone)."""
    return scope.is_superuser or organization_id in scope.orgs(Role.INSTITUTION_ADMIN)


@policies.register
class OrganizationPolicy(Policy):
    """Organisations: public rows, contact details for editors, identity for the city."""

    model = Organization
    guarded_fields = CONTACT_FIELDS

    def scope_q(self, scope, action):
        if action == VIEW:
            return True  # the registry of organisations is public
        if action == CHANGE and scope.is_authenticated:
            return Q(kind__in=scope.department_org_kinds) | Q(pk__in=scope.orgs(*_EDITOR_ROLES))
        return None

    def rows(self, queryset, scope, action=VIEW):
        if action == REGISTER_INSTITUTION:
            # Not the city's by default: an institution applies for itself.
            if scope.is_superuser:
                return queryset
            return queryset.filter(pk__in=scope.orgs(Role.INSTITUTION_ADMIN))
        return super().rows(queryset, scope, action)

    def _edits(self, scope, organization) -> bool:
        """`scope_q(CHANGE)` for one loaded row, without a query (lists ask it for every row)."""
        return (
            scope.is_municipal
            or organization.kind in scope.department_org_kinds
            or organization.pk in scope.orgs(*_EDITOR_ROLES)
        )

    def visible_fields(self, scope, organization):
        if self._edits(scope, organization):
            return self.all_fields()
        return self.all_fields() - CONTACT_FIELDS

    def can_create(self, scope, model) -> bool:
        """Add an organisation to the registry (form, API, spreadsheet import): the city."""
        return scope.is_municipal

    def can_change_identity(self, scope, organization) -> bool:
        """Change IDENTITY_FIELDS (legal name, kind, credit code): the city."""
        return scope.is_municipal

    def can_register_institution(self, scope, organization) -> bool:
        """Apply for transfer-institution registration of `organization` (the rows of
        `restrict(user, REGISTER_INSTITUTION)`): whoever acts for the institution."""
        return acts_for_institution(scope, organization.pk)


@policies.register
class InstitutionRegistrationPolicy(Policy):
    """Registrations: approved ones are public; the applicant institution, the department
    overseeing its kind and its district see the rest; the applicant edits its own."""

    model = InstitutionRegistration

    def scope_q(self, scope, action):
        own = Q(organization__in=scope.orgs(Role.INSTITUTION_ADMIN))
        if action == CHANGE:
            return own if scope.is_authenticated else None
        public = Q(status=RegistrationStatus.APPROVED)
        if not scope.is_authenticated:
            return public
        return (
            public
            | own
            | Q(organization__kind__in=scope.department_org_kinds)
            | Q(organization__district__in=scope.district_ids)
        )

    def can_edit(self, scope, registration) -> bool:
        """Edit the application: whoever may change it (its institution's administrators, the
        city), while it is a draft or returned for changes."""
        return registration.status in EDITABLE_REGISTRATION_STATUSES and self.covers(
            scope, registration, CHANGE
        )

    def can_view_history(self, scope, registration) -> bool:
        """Read the application's change history: whoever may change it."""
        return self.covers(scope, registration, CHANGE)
