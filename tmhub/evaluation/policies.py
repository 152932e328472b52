"""Policies of the evaluation app.

The title levels, directions, rules and rounds are public reference data: everyone reads the
rows; only municipal administrators change the rules (in the admin).

A title application is seen by
- its applicant (the technology manager whose profile it is), from the draft on;
- the administrators (TTO) of the applicant's employer, once it was submitted;
- the officers of the 市人社局 (department officer, department human_resources), once the
  employer endorsed it;
- municipal administrators (every row; they take no step of the round).
The applicant edits, submits and withdraws; the employer reviews, notices and endorses (never
their own application); the bureau checks, runs the panel and the vote, and resolves
objections.
"""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import Department
from tmhub.core.roles import Role
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import (
    EligibilityRule,
    Objection,
    PerformanceCondition,
    RepresentativeWork,
    ReturnComment,
    TitleApplication,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
    TitleRound,
)

EDITABLE = (S.DRAFT, S.RETURNED)


def is_bureau(scope) -> bool:
    """An officer of the 市人社局, who runs the title rounds."""
    return scope.has_role(Role.DEPARTMENT_OFFICER) and \
        Department.HUMAN_RESOURCES in scope.departments


def employer_orgs(scope):
    return scope.orgs(Role.INSTITUTION_ADMIN)


class _ReferencePolicy(policies.Policy):
    def scope_q(self, scope, action):
        return True if action == VIEW else None


@policies.register
class TitleLevelPolicy(_ReferencePolicy):
    model = TitleLevel


@policies.register
class TitleDirectionPolicy(_ReferencePolicy):
    model = TitleDirection


@policies.register
class EligibilityRulePolicy(_ReferencePolicy):
    model = EligibilityRule


@policies.register
class PerformanceConditionPolicy(_ReferencePolicy):
    model = PerformanceCondition


@policies.register
class TitleProcedureRulePolicy(_ReferencePolicy):
    model = TitleProcedureRule


@policies.register
class TitleRoundPolicy(policies.Policy):
    model = TitleRound

    def scope_q(self, scope, action):
        if action == VIEW:
            return True
        return True if is_bureau(scope) else None

    def can_create(self, scope, obj):
        return is_bureau(scope)


def application_q(scope, prefix: str = ""):
    """The applications `scope` sees, as a condition (`prefix` for related rows)."""
    p = prefix
    condition = Q()
    found = False
    if scope.user_id is not None:
        condition |= Q(**{f"{p}applicant__user_id": scope.user_id})
        found = True
    orgs = employer_orgs(scope)
    if orgs:
        condition |= Q(**{f"{p}institution_id__in": orgs, f"{p}submitted_at__isnull": False})
    if is_bureau(scope):
        condition |= Q(**{f"{p}endorsed_at__isnull": False})
    return condition if found else None


@policies.register
class TitleApplicationPolicy(policies.Policy):
    model = TitleApplication

    def rows(self, queryset, scope, action=VIEW):
        """The city reads every application, but only the applicant edits one: the
        municipal shortcut of the base policy stops at viewing."""
        if action == CHANGE and scope.is_municipal:
            condition = self.scope_q(scope, action)
            return queryset.filter(condition) if condition is not None else queryset.none()
        return super().rows(queryset, scope, action)

    def scope_q(self, scope, action):
        if action == VIEW:
            return application_q(scope)
        if action == CHANGE and scope.user_id is not None:
            return Q(applicant__user_id=scope.user_id, status__in=EDITABLE)
        return None

    @staticmethod
    def _is_applicant(scope, obj) -> bool:
        return scope.user_id is not None and obj.applicant.user_id == scope.user_id

    def can_create(self, scope, obj):
        """A technology manager applies for themself."""
        return scope.has_role(Role.MANAGER)

    def can_submit(self, scope, obj):
        return self._is_applicant(scope, obj)

    def can_withdraw(self, scope, obj):
        return self._is_applicant(scope, obj)

    def can_employer_review(self, scope, obj):
        """The employer's administrators review, notice and endorse — never their own
        application (a second person decides what one prepared)."""
        return obj.institution_id in employer_orgs(scope) and not self._is_applicant(scope, obj)

    def can_run_round(self, scope, obj):
        """The bureau's officers: intake check, panel, vote, notice of the result."""
        return is_bureau(scope) and not self._is_applicant(scope, obj)

    def can_return(self, scope, obj):
        if obj.status == S.SUBMITTED:
            return self.can_employer_review(scope, obj)
        if obj.status == S.ENDORSED:
            return self.can_run_round(scope, obj)
        return False

    def can_view_objector(self, scope, obj):
        return is_bureau(scope) or scope.is_municipal


@policies.register
class ReturnCommentPolicy(policies.Policy):
    model = ReturnComment

    def scope_q(self, scope, action):
        if action == VIEW:
            return application_q(scope, "application__")
        return None


@policies.register
class ObjectionPolicy(policies.Policy):
    model = Objection

    def scope_q(self, scope, action):
        if action == VIEW:
            return application_q(scope, "application__")
        if action == CHANGE and is_bureau(scope):
            return Q(application__endorsed_at__isnull=False)
        return None


@policies.register
class RepresentativeWorkPolicy(policies.Policy):
    """Read with the application; changed only through it (its applicant, while editable)."""

    model = RepresentativeWork

    def scope_q(self, scope, action):
        if action == VIEW:
            return application_q(scope, "application__")
        if action == CHANGE and scope.user_id is not None:
            return Q(application__applicant__user_id=scope.user_id,
                     application__status__in=EDITABLE)
        return None
