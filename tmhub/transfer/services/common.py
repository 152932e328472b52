"""Helpers shared by the transfer services: who may act for an institution, managers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tmhub.accounts.models import Membership, User
from tmhub.core.access import get_scope
from tmhub.core.roles import Role


def is_institution_admin(scope, organization_id) -> bool:
    # Superusers may act for an institution (data fixes, demo set-up); they are audited too.
    return scope.is_superuser or organization_id in scope.orgs("institution_admin")


def can_act_for(actor, organization) -> bool:
    """Institution admins and managers employed by `organization` (and municipal admins)."""
    scope = get_scope(actor)
    return scope.is_municipal or organization.pk in scope.orgs("institution_admin", "manager")


def require_act_for(actor, organization, field: str = "owner") -> None:
    if not can_act_for(actor, organization):
        raise field_error(
            field, _("You cannot record work for this institution."), "not_your_institution"
        )


def is_manager(user) -> bool:
    return Membership.objects.filter(user=user, role=Role.MANAGER, is_active=True).exists()


def require_manager(user, field: str = "user") -> None:
    if user is None or not is_manager(user):
        raise field_error(
            field,
            _("Only technology managers (users with a manager role) can be assigned."),
            "not_a_manager",
        )


def managers_of(organization):
    """Active technology managers employed by an organisation."""
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Role.MANAGER,
        memberships__is_active=True,
    ).distinct()


def institution_admins(organization):
    return User.objects.filter(
        memberships__organization=organization,
        memberships__role=Role.INSTITUTION_ADMIN,
        memberships__is_active=True,
    ).distinct()


def field_error(field: str, message, code: str) -> ValidationError:
    """A field-level error that keeps its machine-readable code (UI and API alike)."""
    return ValidationError({field: ValidationError(message, code=code)})
