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
    PolicyLevel,
    PolicyStatus,
    ReportStatus,
)
from tmhub.insights.models import (
    AgendaItem,
    FollowUpAction,
    Meeting,
    Plan,
    PlanTask,
    SupportPolicy,
    TaskReport,
)


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


def policy_districts(scope) -> frozenset[int]:
    """The districts whose support policies a scope drafts and publishes."""
    return scope.district_ids if scope.has_role(Role.DISTRICT_OFFICER) else frozenset()


@policies.register
class SupportPolicyPolicy(policies.Policy):
    """Published policies are public; a draft or a withdrawn policy is read by the city and by
    the officers of its district. The city enters city and district policies, a district
    officer those of the district; a second person publishes what one drafted."""

    model = SupportPolicy

    def scope_q(self, scope, action):
        mine = policy_districts(scope)
        own = Q(level=PolicyLevel.DISTRICT, district_id__in=mine) if mine else None
        if action == VIEW:
            public = Q(status=PolicyStatus.PUBLISHED)
            return public | own if own is not None else public
        return own

    def _owns(self, scope, obj) -> bool:
        if scope.is_municipal:
            return True
        return (obj.level == PolicyLevel.DISTRICT and obj.district_id is not None
                and obj.district_id in policy_districts(scope))

    def can_create(self, scope, obj):
        if obj is None or isinstance(obj, type):
            return scope.is_municipal or bool(policy_districts(scope))
        return self._owns(scope, obj)

    def can_edit(self, scope, obj):
        return obj.status == PolicyStatus.DRAFT and self._owns(scope, obj)

    def can_publish(self, scope, obj):
        """Not the person who drafted it (a second person approves)."""
        return (obj.status == PolicyStatus.DRAFT and self._owns(scope, obj)
                and scope.user_id != obj.drafted_by_id)

    def can_withdraw(self, scope, obj):
        return obj.status == PolicyStatus.PUBLISHED and self._owns(scope, obj)


class _ConferencePolicy(policies.Policy):
    """The conference's records: read by its members, kept by the city (市科委 and 中关村管委会
    run the conference through the municipal administrators)."""

    def scope_q(self, scope, action):
        return True if action == VIEW and is_conference_member(scope) else None

    def can_create(self, scope, obj):
        return scope.is_municipal

    def can_manage(self, scope, obj):
        return scope.is_municipal


@policies.register
class MeetingPolicy(_ConferencePolicy):
    model = Meeting


@policies.register
class AgendaItemPolicy(_ConferencePolicy):
    model = AgendaItem


@policies.register
class FollowUpActionPolicy(_ConferencePolicy):
    model = FollowUpAction

    def can_complete(self, scope, action):
        """The owning department records an open action done (or the city for it)."""
        return action.done_on is None and (scope.is_municipal
                                           or action.owner in plan_departments(scope))
