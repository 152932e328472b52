"""Who reads plans and reports, who files and who reviews (tmhub.core.policies).

The plan's work belongs to the joint conference (市科技成果转化工作联席会): the city (市科委 and
中关村管委会 act through the municipal administrators), the department officers and the district
officers (各区人民政府) read the plans; a department files reports on the tasks it is named on and
reads its own; the task's lead department reviews them, never the person who filed.
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.roles import Role
from tmhub.insights.choices import (
    CITY_DEPARTMENTS,
    OFFICER_DEPARTMENT,
    DepartmentRole,
    PlanDepartment,
    ReportStatus,
)
from tmhub.insights.models import Plan, PlanTask, TaskReport


def plan_departments(scope) -> frozenset[str]:
    """The plan departments a scope acts for."""
    found: set[str] = set()
    if scope.is_municipal:
        found |= CITY_DEPARTMENTS
    if scope.has_role(Role.DEPARTMENT_OFFICER):
        found |= {code for code, dept in OFFICER_DEPARTMENT.items() if dept in scope.departments}
    if scope.has_role(Role.DISTRICT_OFFICER) and scope.district_ids:
        found.add(PlanDepartment.DISTRICTS)
    return frozenset(found)


def is_conference_member(scope) -> bool:
    return scope.is_municipal or bool(plan_departments(scope))


@policies.register
class PlanPolicy(policies.Policy):
    model = Plan

    def scope_q(self, scope, action):
        return True if action == VIEW and is_conference_member(scope) else None

    def can_create(self, scope, obj):
        return scope.is_municipal

    def can_manage(self, scope, obj):
        return scope.is_municipal


@policies.register
class PlanTaskPolicy(policies.Policy):
    model = PlanTask

    def scope_q(self, scope, action):
        return True if action == VIEW and is_conference_member(scope) else None

    def can_file(self, scope, task):
        """A department named on the task files its reports (not on guarantee measures)."""
        mine = plan_departments(scope)
        return bool(mine) and task.departments.filter(department__in=mine).exists()


@policies.register
class TaskReportPolicy(policies.Policy):
    model = TaskReport

    def scope_q(self, scope, action):
        mine = plan_departments(scope)
        if not mine:
            return None
        own = Q(department__in=mine)
        if action == VIEW:
            # The lead department reads every submitted report on the tasks it leads.
            led = Q(task__departments__department__in=mine,
                    task__departments__role=DepartmentRole.LEAD) & ~Q(status=ReportStatus.DRAFT)
            return own | led
        return own

    def rows(self, queryset, scope, action=VIEW):
        return super().rows(queryset, scope, action).distinct()

    def can_edit(self, scope, report):
        return (report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
                and report.department in plan_departments(scope))

    def can_submit(self, scope, report):
        return self.can_edit(scope, report)

    def can_review(self, scope, report):
        """The task's lead department, and never the person who filed the report."""
        if report.status != ReportStatus.SUBMITTED or scope.user_id == report.filed_by_id:
            return False
        mine = plan_departments(scope)
        return report.task.departments.filter(department__in=mine,
                                              role=DepartmentRole.LEAD).exists()
