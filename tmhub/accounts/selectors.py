"""Who holds which role: the one query for "users with a role in an organisation"."""

from __future__ import annotations

from django.db.models import Q

from tmhub.accounts.models import Membership, User
from tmhub.core.roles import Role


def users_with_role(role: Role, *, organization=None, district=None, department=None):
    """Active users holding `role` through an active membership, optionally in one
    organisation, district or department (each an instance, an id, or None for any)."""
    condition = Q(memberships__role=role, memberships__is_active=True)
    if organization is not None:
        condition &= Q(memberships__organization=organization)
    if district is not None:
        condition &= Q(memberships__district=district)
    if department is not None:
        condition &= Q(memberships__department=department)
    return User.objects.filter(condition, is_active=True).distinct()


def holds_role(user, role: Role, *, organization=None) -> bool:
    """True when `user` has an active membership with `role` (in `organization` if given)."""
    if not getattr(user, "pk", None):
        return False
    memberships = Membership.objects.filter(user_id=user.pk, role=role, is_active=True)
    if organization is not None:
        memberships = memberships.filter(organization=organization)
    return memberships.exists()
