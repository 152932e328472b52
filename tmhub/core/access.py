"""A user's reach (`Scope`, computed once per request) and the restricted queryset.

Every model with confidential rows uses `RestrictedQuerySet`; its policy
(tmhub.core.policies, one per model in `<app>/policies.py`) says which rows a scope sees.
UI views, API viewsets, exports and search all call `Model.objects.restrict(user, action)`. A
row outside the result does not exist for that user: views answer 404 for it, exactly as for a
missing row (NetBox utilities/querysets.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.http import Http404

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class Scope:
    """A user's reach, computed once per request from their active memberships."""

    user_id: int | None = None
    is_superuser: bool = False
    roles: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()
    department_org_kinds: frozenset[str] = frozenset()
    district_ids: frozenset[int] = frozenset()
    # organisations per role, e.g. {"institution_admin": {3}, "enterprise": {8}}
    orgs_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_municipal(self) -> bool:
        """Municipal administrators (and superusers) see the whole city."""
        return self.is_superuser or "municipal_admin" in self.roles

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def orgs(self, *roles: str) -> frozenset[int]:
        """Organisations the user belongs to in any of `roles` (all roles when none given)."""
        wanted = roles or tuple(self.orgs_by_role)
        result: set[int] = set()
        for role in wanted:
            result |= self.orgs_by_role.get(role, frozenset())
        return frozenset(result)


ANONYMOUS_SCOPE = Scope()


def get_scope(user) -> Scope:
    """Return (and cache on the user object) the user's Scope."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS_SCOPE
    cached = getattr(user, "_tmhub_scope", None)
    if cached is not None:
        return cached
    from tmhub.accounts.models import Membership  # local import: accounts depends on core
    from tmhub.core.choices import DEPARTMENT_ORG_KINDS

    roles, departments, kinds, districts = set(), set(), set(), set()
    orgs_by_role: dict[str, set[int]] = {}
    memberships = Membership.objects.filter(user_id=user.pk, is_active=True).values_list(
        "role", "organization_id", "district_id", "department"
    )
    for role, org_id, district_id, department in memberships:
        roles.add(role)
        if org_id:
            orgs_by_role.setdefault(role, set()).add(org_id)
        if district_id:
            districts.add(district_id)
        if department:
            departments.add(department)
            kinds |= DEPARTMENT_ORG_KINDS.get(department, frozenset())
    scope = Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        roles=frozenset(roles),
        departments=frozenset(departments),
        department_org_kinds=frozenset(kinds),
        district_ids=frozenset(districts),
        orgs_by_role={role: frozenset(ids) for role, ids in orgs_by_role.items()},
    )
    user._tmhub_scope = scope
    return scope


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with `restrict(user, action)`; the model's policy says who sees what."""

    def restrict(self, user, action: str = VIEW):
        from tmhub.core.actors import is_system
        from tmhub.core.policies import policy_for

        if is_system(user):  # the platform's own jobs read every row
            return self
        return policy_for(self.model).rows(self, get_scope(user), action)


def get_restricted_or_404(queryset_or_model, user, action: str = VIEW, **lookup):
    """Fetch one row inside the user's scope; outside it looks exactly like a missing row."""
    queryset = (
        queryset_or_model.objects.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    try:
        return queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
