"""Whose training the dashboard counts for a user, and the attributes it breaks them down by.

A trainee is attributed to the district, institution kind and employer of their talent
profile (work district, employer) and, when they have no profile (yet), to the employer
recorded on the enrolment or certificate. The same expressions scope the dashboard for
district, department and institution users, so a breakdown and a scope never disagree, and,
given how a profile or an organisation was before a change, they compute what a trainee
counted in then (dashboard/figures.py books the difference).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from tmhub.core.roles import Role


def has_profiles() -> bool:
    return apps.is_installed("tmhub.talent")


@dataclass(frozen=True)
class ProfileAsWas:
    """One trainee's talent profile as it was before a change, for recomputing what they
    contributed then (`exists=False`: they had no profile). The employer's district and kind
    are the organisation's, which the profile change did not touch."""

    exists: bool
    work_district_id: int | None = None
    employer_id: int | None = None
    employer_district_id: int | None = None
    employer_kind: str = ""
    entry_route: str = ""
    field_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class OrganizationAsWas:
    """An organisation's district and kind before a change (every row naming it as the
    enrolment's or the profile's employer is attributed with these)."""

    pk: int
    district_id: int | None
    kind: str


def _org_attribute(path: str, id_path: str, attribute: str, was, output_field):
    """`path` (an organisation's `attribute`), or the value it had where the row's organisation
    (`id_path`) is the one that changed."""
    if not isinstance(was, OrganizationAsWas):
        return F(path)
    return Case(When(**{id_path: was.pk}, then=Value(getattr(was, attribute),
                                                      output_field=output_field)),
                default=F(path), output_field=output_field)


def district_expr(prefix: str = "", was=None):
    """The trainee's district: the profile's work district, else its employer's district, else
    the district of the employer recorded on the row. `was` recomputes it as it was before a
    change (ProfileAsWas / OrganizationAsWas)."""
    recorded = _org_attribute(f"{prefix}organization__district_id", f"{prefix}organization_id",
                              "district_id", was, IntegerField())
    if not has_profiles():
        return recorded
    if isinstance(was, ProfileAsWas):
        for value in (was.work_district_id, was.employer_district_id) if was.exists else ():
            if value is not None:
                return Value(value, output_field=IntegerField())
        return recorded
    profile = f"{prefix}trainee__manager_profile__"
    employer = _org_attribute(f"{profile}employer__district_id", f"{profile}employer_id",
                              "district_id", was, IntegerField())
    return Coalesce(F(f"{profile}work_district_id"), employer, recorded,
                    output_field=IntegerField())


def kind_expr(prefix: str = "", was=None):
    """The kind of the trainee's employer: the profile's, else the one recorded on the row."""
    recorded = Coalesce(_org_attribute(f"{prefix}organization__kind", f"{prefix}organization_id",
                                       "kind", was, CharField()), Value(""))
    if not has_profiles():
        return recorded
    if isinstance(was, ProfileAsWas):
        return Value(was.employer_kind) if was.exists and was.employer_kind else recorded
    profile = f"{prefix}trainee__manager_profile__"
    return Coalesce(_org_attribute(f"{profile}employer__kind", f"{profile}employer_id", "kind",
                                   was, CharField()), recorded, output_field=CharField())


def employer_expr(prefix: str = "", was=None):
    """The trainee's employer: the profile's, else the one recorded on the row."""
    if not has_profiles():
        return F(f"{prefix}organization_id")
    if isinstance(was, ProfileAsWas):
        if was.exists and was.employer_id is not None:
            return Value(was.employer_id, output_field=IntegerField())
        return F(f"{prefix}organization_id")
    return Coalesce(f"{prefix}trainee__manager_profile__employer_id",
                    f"{prefix}organization_id")


def route_expr(prefix: str = "", was=None):
    """How the trainee entered the talent pool ('' without a profile)."""
    if not has_profiles():
        return Value("")
    if isinstance(was, ProfileAsWas):
        return Value(was.entry_route if was.exists else "")
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
