"""Who sees and steers pilots (SPEC §1, §8): the city sees all; a programme officer (a
department officer of the programme's funding department — the Science and Technology
Commission by default — named on the programme) the programme's pilots; a district officer the
pilots in the district; the undertaking institution's administrators their own; a manager the
pilots they are or were assigned to."""

from __future__ import annotations

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, Scope
from tmhub.core.roles import Role
from tmhub.pilots.models import Assignment, Pilot, PilotKpi, Programme, StageReport


def pilot_rows(scope: Scope, action: str) -> Q | None:
    """The pilots `scope` may read (VIEW) or steer (CHANGE)."""
    if not scope.is_authenticated:
        return None
    steer = Q(pk__in=[])
    if scope.has_role(Role.DEPARTMENT_OFFICER) and scope.departments:
        steer = Q(pk__in=Pilot.objects.filter(programme__in=officer_programmes(scope))
                  .values("pk"))
    if action == CHANGE:
        return steer
    condition = steer
    if scope.district_ids:
        condition |= Q(district_id__in=scope.district_ids)
    admin_orgs = scope.orgs(Role.INSTITUTION_ADMIN)
    if admin_orgs:
        condition |= Q(institution_id__in=admin_orgs)
    if scope.has_role(Role.MANAGER):
        condition |= Q(pk__in=Assignment.objects.filter(manager_id=scope.user_id)
                       .values("pilot_id"))
    return condition


def officer_programmes(scope: Scope):
    """The programmes `scope` is a programme officer of: named on the programme, and a
    department officer of the programme's funding department now (an officer who moves to
    another department stops seeing its pilots at once)."""
    if not (scope.has_role(Role.DEPARTMENT_OFFICER) and scope.departments
            and scope.user_id is not None):
        return Programme.objects.none().values("pk")
    return Programme.objects.filter(officers=scope.user_id,
                                    department__in=scope.departments).values("pk")


def steers(scope: Scope, pilot) -> bool:
    """The city or the pilot's programme officer."""
    if scope.is_municipal:
        return True
    return (pilot is not None and scope.has_role(Role.DEPARTMENT_OFFICER)
            and officer_programmes(scope).filter(pk=pilot.programme_id).exists())


def administers(scope: Scope, pilot) -> bool:
    """An administrator of the undertaking institution."""
    return pilot.institution_id in scope.orgs(Role.INSTITUTION_ADMIN)


def manages(scope: Scope, pilot) -> bool:
    """A manager assigned to the pilot now."""
    return (scope.user_id is not None and scope.has_role(Role.MANAGER)
            and pilot.assignments.filter(manager_id=scope.user_id,
                                         ended_on__isnull=True).exists())


@policies.register
class ProgrammePolicy(policies.Policy):
    model = Programme

    def scope_q(self, scope, action):
        if scope.has_role(Role.DEPARTMENT_OFFICER) and action != CHANGE:
            return Q(pk__in=officer_programmes(scope))
        return None

    def can_create(self, scope, obj):
        return scope.is_municipal

    def can_manage_officers(self, scope, obj):
        """Name and remove the programme's officers: the city, which selects the pilots."""
        return scope.is_municipal


@policies.register
class PilotPolicy(policies.Policy):
    model = Pilot

    def rows(self, queryset, scope, action="view"):
        rows = super().rows(queryset, scope, action)
        # Joins over officers or assignments may repeat a pilot: keep each once.
        return rows if scope.is_municipal else queryset.filter(pk__in=rows.values("pk"))

    def scope_q(self, scope, action):
        return pilot_rows(scope, action)

    def can_create(self, scope, obj):
        return scope.is_municipal

    def can_steer(self, scope, obj):
        """Set KPIs, assign managers, move the stage."""
        return steers(scope, obj)

    def can_link(self, scope, obj):
        """Link the institution's contracts and transfer projects to the pilot."""
        return steers(scope, obj) or administers(scope, obj) or manages(scope, obj)

    def can_report_kpi(self, scope, obj):
        return steers(scope, obj) or administers(scope, obj) or manages(scope, obj)

    def can_file_report(self, scope, obj):
        return manages(scope, obj)


class _PilotPart(policies.Policy):
    """Rows that belong to a pilot are read by whoever reads the pilot."""

    def rows(self, queryset, scope, action="view"):
        if scope.is_municipal:
            return queryset
        condition = pilot_rows(scope, action)
        if condition is None:
            return queryset.none()
        return queryset.filter(pilot__in=Pilot.objects.filter(condition).values("pk"))


@policies.register
class PilotKpiPolicy(_PilotPart):
    model = PilotKpi


@policies.register
class AssignmentPolicy(_PilotPart):
    model = Assignment


@policies.register
class StageReportPolicy(_PilotPart):
    model = StageReport

    def can_edit(self, scope, obj):
        from tmhub.pilots.choices import ReportStatus

        return (obj.status == ReportStatus.DRAFT and obj.author_id == scope.user_id
                and manages(scope, obj.pilot))
