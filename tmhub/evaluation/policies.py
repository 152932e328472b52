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
their own application); the bureau checks, runs the panel and the vote, resolves objections and
revokes an approved title (falsified materials found afterwards).
"""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import Department
from tmhub.core.roles import Role
from tmhub.evaluation import notices  # noqa: F401  (the kinds exist from start-up)
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import (
    ConflictDeclaration,
    EligibilityRule,
    Objection,
    PanelMember,
    PerformanceCondition,
    RepresentativeWork,
    ReturnComment,
    ReviewAssignment,
    ReviewScore,
    ScoringCriterion,
    TitleApplication,
    TitleDirection,
    TitleExpert,
    TitleLevel,
    TitlePanel,
    TitleProcedureRule,
    TitleRound,
)

EDITABLE = (S.DRAFT, S.RETURNED)
# Once the review is closed and put to the vote, a reviewer reads the other reviewers' scores
# of the applications assigned to them (never their names).
AFTER_REVIEW = (S.VOTE, S.RESULT_NOTICE, S.APPROVED, S.NOT_APPROVED, S.REVOKED)


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
class ScoringCriterionPolicy(_ReferencePolicy):
    model = ScoringCriterion


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
    if scope.user_id is not None and scope.has_role(Role.REVIEWER):
        # the applications assigned to the reviewer (not those they recused themself from)
        condition |= Q(**{f"{p}pk__in": ReviewAssignment.objects.filter(
            expert__user_id=scope.user_id, recused_at__isnull=True).values("application_id")})
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

    def can_revoke(self, scope, obj):
        """The bureau revokes an approved title (never one's own): the same officers who
        decided it."""
        return self.can_run_round(scope, obj)

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


class ApplicationPartPolicy(policies.Policy):
    """A part of a title application (a representative work, a cited rating): read with the
    application; changed only through it (its applicant, while editable)."""

    def rows(self, queryset, scope, action=VIEW):
        """The city reads every part; only the applicant changes them."""
        if action == CHANGE and scope.is_municipal:
            condition = self.scope_q(scope, action)
            return queryset.filter(condition) if condition is not None else queryset.none()
        return super().rows(queryset, scope, action)

    def scope_q(self, scope, action):
        if action == VIEW:
            return application_q(scope, "application__")
        if action == CHANGE and scope.user_id is not None:
            return Q(application__applicant__user_id=scope.user_id,
                     application__status__in=EDITABLE)
        return None


@policies.register
class RepresentativeWorkPolicy(ApplicationPartPolicy):
    """Read with the application; changed only through it (its applicant, while editable)."""

    model = RepresentativeWork


# ---------------------------------------------------------------- panels and reviews
def _own_expert_q(scope, prefix=""):
    return Q(**{f"{prefix}user_id": scope.user_id}) if scope.user_id is not None else None


@policies.register
class TitleExpertPolicy(policies.Policy):
    """The pool is the bureau's: it reads and keeps it; an expert reads their own row."""

    model = TitleExpert

    def scope_q(self, scope, action):
        if is_bureau(scope):
            return True
        if action == VIEW:
            return _own_expert_q(scope)
        return None

    def can_create(self, scope, obj):
        return is_bureau(scope)


def _panel_q(scope, prefix=""):
    if is_bureau(scope):
        return True
    if scope.user_id is not None and scope.has_role(Role.REVIEWER):
        return Q(**{f"{prefix}pk__in": PanelMember.objects.filter(
            expert__user_id=scope.user_id).values("panel_id")})
    return None


@policies.register
class TitlePanelPolicy(policies.Policy):
    """The bureau forms the panels; a member reads the panels they sit on."""

    model = TitlePanel

    def scope_q(self, scope, action):
        if action == VIEW:
            return _panel_q(scope)
        return True if is_bureau(scope) else None

    def can_create(self, scope, obj):
        return is_bureau(scope)

    def can_manage(self, scope, obj):
        return is_bureau(scope)


@policies.register
class PanelMemberPolicy(policies.Policy):
    model = PanelMember

    def scope_q(self, scope, action):
        if action == VIEW:
            return _panel_q(scope, "panel__")
        return True if is_bureau(scope) else None


def review_q(scope, prefix=""):
    """The reviews `scope` reads: the bureau every one; a reviewer their own, and once the
    review closed, the others on the applications assigned to them (shown without names). The
    applicant and the employer read none."""
    p = prefix
    if is_bureau(scope):
        return Q(**{f"{p}application__endorsed_at__isnull": False})
    if scope.user_id is not None and scope.has_role(Role.REVIEWER):
        mine = ReviewAssignment.objects.filter(expert__user_id=scope.user_id,
                                               recused_at__isnull=True)
        return Q(**{f"{p}expert__user_id": scope.user_id}) | Q(**{
            f"{p}application_id__in": mine.values("application_id"),
            f"{p}application__status__in": AFTER_REVIEW})
    return None


@policies.register
class ReviewAssignmentPolicy(policies.Policy):
    model = ReviewAssignment

    def rows(self, queryset, scope, action=VIEW):
        """The city reads every review; only the reviewer scores (no municipal shortcut)."""
        if action == CHANGE and scope.is_municipal:
            condition = self.scope_q(scope, action)
            return queryset.filter(condition) if condition is not None else queryset.none()
        return super().rows(queryset, scope, action)

    def scope_q(self, scope, action):
        if action == VIEW:
            return review_q(scope)
        if action == CHANGE and scope.user_id is not None:
            return Q(expert__user_id=scope.user_id, recused_at__isnull=True,
                     application__status=S.PANEL_REVIEW)
        return None

    def can_score(self, scope, obj):
        return scope.user_id is not None and obj.expert.user_id == scope.user_id and \
            obj.recused_at is None and obj.application.status == S.PANEL_REVIEW

    def can_view_reviewer(self, scope, obj):
        """Reviewers' names: the bureau, the city and the reviewer themself."""
        return is_bureau(scope) or scope.is_municipal or (
            scope.user_id is not None and obj.expert.user_id == scope.user_id)


@policies.register
class ReviewScorePolicy(policies.Policy):
    model = ReviewScore

    def scope_q(self, scope, action):
        if action == VIEW:
            return review_q(scope, "assignment__")
        return None


@policies.register
class ConflictDeclarationPolicy(policies.Policy):
    model = ConflictDeclaration

    def scope_q(self, scope, action):
        if is_bureau(scope):
            return True
        if action == VIEW:
            return _own_expert_q(scope, "expert__")
        return None


# Social evaluation (issue 17): its policies register themselves from their own module.
from tmhub.evaluation import policies_ratings  # noqa: E402, F401, I001

# The case library (item 5), the spotlight and nominations (item 6) and the use of rating
# results (item 4: title evidence, registry page, exports) of issue 17, likewise.
from tmhub.evaluation import policies_cases  # noqa: E402, F401
from tmhub.evaluation import policies_rating_use  # noqa: E402, F401
from tmhub.evaluation import policies_spotlight  # noqa: E402, F401
