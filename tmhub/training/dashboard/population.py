"""Whose training the dashboard counts for a user, and the attributes it breaks them down by.

A trainee is attributed to the district, institution kind and employer of their talent
profile (work district, employer) and, when they have no profile (yet), to the employer
recorded on the enrolment or certificate. The same expressions scope the dashboard for
district, department and institution users, so a breakdown and a scope never disagree.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from tmhub.core.roles import Role


def has_profiles() -> bool:
    return apps.is_installed("tmhub.talent")


def may_view_dashboard(scope) -> bool:
    return scope.is_municipal or any(scope.has_role(r) for r in (
        Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER, Role.INSTITUTION_ADMIN))


def district_expr(prefix: str = ""):
    if not has_profiles():
        return F(f"{prefix}organization__district_id")
    return Coalesce(f"{prefix}trainee__manager_profile__work_district_id",
                    f"{prefix}trainee__manager_profile__employer__district_id",
                    f"{prefix}organization__district_id")


def kind_expr(prefix: str = ""):
    if not has_profiles():
        return Coalesce(f"{prefix}organization__kind", Value(""))
    return Coalesce(f"{prefix}trainee__manager_profile__employer__kind",
                    f"{prefix}organization__kind", Value(""))


def employer_expr(prefix: str = ""):
    if not has_profiles():
        return F(f"{prefix}organization_id")
    return Coalesce(f"{prefix}trainee__manager_profile__employer_id",
                    f"{prefix}organization_id")


def route_expr(prefix: str = ""):
    if not has_profiles():
        return Value("")
    return Coalesce(f"{prefix}trainee__manager_profile__entry_route", Value(""))


def scoped(queryset, scope, prefix: str = ""):
    """Restrict a queryset of certificates / enrolments (or, with a prefix, of rows that
    point at one) to the trainees the user's scope covers. The city sees everyone; the
    municipal human-resources and talent bureaus, which oversee functions rather than
    institutions, see the city-wide numbers too."""
    if scope.is_municipal:
        return queryset
    condition = Q(pk__in=[])
    if scope.district_ids:
        queryset = queryset.alias(_tm_district=district_expr(prefix))
        condition |= Q(_tm_district__in=scope.district_ids)
    if scope.has_role(Role.DEPARTMENT_OFFICER):
        if not scope.department_org_kinds:
            return queryset
        queryset = queryset.alias(_tm_kind=kind_expr(prefix))
        condition |= Q(_tm_kind__in=scope.department_org_kinds)
    admin_orgs = scope.orgs(Role.INSTITUTION_ADMIN)
    if admin_orgs:
        queryset = queryset.alias(_tm_employer=employer_expr(prefix))
        condition |= Q(_tm_employer__in=admin_orgs)
    return queryset.filter(condition)


def is_city_wide(scope) -> bool:
    return scope.is_municipal or (scope.has_role(Role.DEPARTMENT_OFFICER)
                                  and not scope.department_org_kinds)


def scoped_figures(queryset, scope):
    """The same restriction as `scoped`, on the dashboard's running totals, whose rows carry
    the attribution (district, kind, employer) the expressions above compute per record."""
    if scope.is_municipal:
        return queryset
    condition = Q(pk__in=[])
    if scope.district_ids:
        condition |= Q(district__in=scope.district_ids)
    if scope.has_role(Role.DEPARTMENT_OFFICER):
        if not scope.department_org_kinds:
            return queryset
        condition |= Q(kind__in=scope.department_org_kinds)
    admin_orgs = scope.orgs(Role.INSTITUTION_ADMIN)
    if admin_orgs:
        condition |= Q(employer__in=admin_orgs)
    return queryset.filter(condition)
