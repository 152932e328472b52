"""Policies of social evaluation (issue 17), registered with the title round's policies
(tmhub.evaluation.policies imports this module).

- Indicator systems: a published version is public reference data (everyone reads it, with
  its tree); drafts and every change are the city's (municipal administrators).
- Rating rounds (issue 17 item 6a): who runs a round is recorded on it (`runner`), and who
  may create, open, compute and publish it follows from that: the city its own; the staff
  (administrators, service-provider users) of an accredited evaluation organisation theirs,
  only while its accreditation is in force, and publication needs the city's approval; an
  institution's administrators an internal round of their own staff. The city oversees every
  round: it reads all of them and may suspend any. A published round of the city or of an
  organisation is read by everyone signed in, an internal one by the institution's people;
  the runner's staff read their rounds at every step; a reviewer the rounds they review.
- Reviews: a reviewer sees and scores only the reviews assigned to them; the city reads all.
- Ratings (with their items and objections), once the round is published: a technology
  manager reads their own; an institution's administrators read the institution's and those
  of the managers it employed when the rating was computed; the city reads every one, also
  before publication; the staff of the running organisation (or institution) read the
  ratings of their rounds at every step. The rated subject (the manager; an institution's
  administrators) may object; the city resolves objections."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import EVALUATION_KINDS, RESEARCH_KINDS
from tmhub.core.roles import Role
from tmhub.evaluation.models import (
    EvaluationAccreditation,
    Indicator,
    IndicatorSystem,
    Rating,
    RatingItem,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.rating_choices import RoundRunner, RoundStatus, SubjectKind, SystemStatus

REVIEWABLE = (RoundStatus.OPEN, RoundStatus.COMPUTED)
# The roles through which a person works for an evaluation organisation.
EVALUATOR_ROLES = (Role.INSTITUTION_ADMIN, Role.SERVICE_PROVIDER)


def is_city(scope) -> bool:
    return scope.is_municipal


def _admin_orgs(scope):
    return scope.orgs(Role.INSTITUTION_ADMIN)


def accredited_orgs(scope) -> frozenset[int]:
    """The evaluation organisations `scope` works for whose accreditation is in force today."""
    from tmhub.orgs.models import Organization

    orgs = scope.orgs(*EVALUATOR_ROLES)
    if not orgs:
        return frozenset()
    kinds = Organization.objects.filter(pk__in=orgs, kind__in=EVALUATION_KINDS)
    return frozenset(EvaluationAccreditation.objects.in_force().filter(
        organization__in=kinds).values_list("organization_id", flat=True))


def internal_orgs(scope) -> frozenset[int]:
    """The institutions (universities, institutes, hospitals) `scope` administers: each may
    run internal rounds of its own staff."""
    from tmhub.orgs.models import Organization

    orgs = _admin_orgs(scope)
    if not orgs:
        return frozenset()
    return frozenset(Organization.objects.filter(pk__in=orgs, kind__in=RESEARCH_KINDS)
                     .values_list("pk", flat=True))


def _staff_orgs(scope) -> frozenset[int]:
    """Organisations whose rounds `scope` follows as the runner's staff (accredited or not
    today: an expired accreditation still lets them read what they ran)."""
    return scope.orgs(*EVALUATOR_ROLES)


def runs(scope, round_) -> bool:
    """Does `scope` run `round_` (the runner recorded on it decides)?"""
    if round_.runner == RoundRunner.CITY:
        return is_city(scope)
    if round_.runner == RoundRunner.ORGANISATION:
        return round_.organization_id in accredited_orgs(scope)
    return round_.organization_id in internal_orgs(scope)


@policies.register
class IndicatorSystemPolicy(policies.Policy):
    model = IndicatorSystem

    def scope_q(self, scope, action):
        return Q(status=SystemStatus.PUBLISHED) if action == VIEW else None

    def can_create(self, scope, obj):
        return is_city(scope)

    def can_publish(self, scope, obj):
        return is_city(scope)

    def can_copy(self, scope, obj):
        return is_city(scope)


@policies.register
class IndicatorPolicy(policies.Policy):
    model = Indicator

    def scope_q(self, scope, action):
        return Q(system__status=SystemStatus.PUBLISHED) if action == VIEW else None


def _reviewer_q(scope, prefix=""):
    if scope.user_id is None or not scope.has_role(Role.REVIEWER):
        return None
    return Q(**{f"{prefix}reviewer_id": scope.user_id})


@policies.register
class RatingRoundPolicy(policies.Policy):
    model = RatingRound

    def scope_q(self, scope, action):
        if action != VIEW or scope.user_id is None:
            return None
        condition = Q(status=RoundStatus.PUBLISHED) & ~Q(runner=RoundRunner.INTERNAL)
        mine = scope.orgs()
        if mine:
            condition |= Q(status=RoundStatus.PUBLISHED, runner=RoundRunner.INTERNAL,
                           organization_id__in=mine)
        staff = _staff_orgs(scope)
        if staff:
            condition |= Q(organization_id__in=staff)
        if scope.has_role(Role.REVIEWER):
            condition |= Q(pk__in=RatingReview.objects.filter(
                reviewer_id=scope.user_id).values("round_id"))
        return condition

    def can_create(self, scope, obj):
        """The city; an accredited organisation's staff; an institution's administrators
        (an internal round). For an instance, the runner recorded on it decides."""
        if isinstance(obj, type):
            return is_city(scope) or bool(accredited_orgs(scope)) or bool(internal_orgs(scope))
        return runs(scope, obj)

    def can_run(self, scope, obj):
        return obj.status != RoundStatus.SUSPENDED and runs(scope, obj)

    def can_publish(self, scope, obj):
        """Publish without approval: the city's rounds and internal rounds."""
        return obj.runner != RoundRunner.ORGANISATION and self.can_run(scope, obj)

    def can_submit(self, scope, obj):
        """An organisation's round goes to the city for approval."""
        return obj.runner == RoundRunner.ORGANISATION and self.can_run(scope, obj)

    def can_approve(self, scope, obj):
        """The city approves (or returns) an organisation's round for publication."""
        return is_city(scope) and obj.runner == RoundRunner.ORGANISATION

    def can_suspend(self, scope, obj):
        return is_city(scope)

    def can_oversee(self, scope, obj):
        """The city's oversight of every round: it reads its results and takes the city's
        steps (approve, return, suspend, resume), whoever runs it."""
        return is_city(scope)

    def can_resume(self, scope, obj):
        return is_city(scope)


@policies.register
class RatingReviewPolicy(policies.Policy):
    model = RatingReview

    def rows(self, queryset, scope, action=VIEW):
        """The city reads every review; only the reviewer scores (no municipal shortcut)."""
        if action == CHANGE and scope.is_municipal:
            condition = self.scope_q(scope, action)
            return queryset.filter(condition) if condition is not None else queryset.none()
        return super().rows(queryset, scope, action)

    def scope_q(self, scope, action):
        mine = _reviewer_q(scope)
        if action == CHANGE:
            return None if mine is None else mine & Q(round__status__in=REVIEWABLE)
        staff = _staff_orgs(scope) if scope.user_id is not None else frozenset()
        if staff:  # the running organisation follows its round's reviews
            others = Q(round__organization_id__in=staff)
            return others if mine is None else mine | others
        return mine

    def can_score(self, scope, obj):
        return scope.user_id is not None and obj.reviewer_id == scope.user_id and \
            scope.has_role(Role.REVIEWER) and obj.round.status in REVIEWABLE


def rating_q(scope, prefix=""):
    """The ratings `scope` reads (municipal administrators: all, by the base policy)."""
    p = prefix
    if scope.user_id is None:
        return None
    condition = Q(**{f"{p}manager_id": scope.user_id})
    orgs = _admin_orgs(scope)
    if orgs:
        condition |= Q(**{f"{p}institution_id__in": orgs}) | Q(**{f"{p}employer_id__in": orgs})
    condition &= Q(**{f"{p}round__status": RoundStatus.PUBLISHED})
    staff = _staff_orgs(scope)
    if staff:  # the runner's staff read their round's results at every step
        condition |= Q(**{f"{p}round__organization_id__in": staff})
    return condition


@policies.register
class RatingPolicy(policies.Policy):
    model = Rating

    def scope_q(self, scope, action):
        return rating_q(scope) if action == VIEW else None

    def can_object(self, scope, obj):
        """The rated subject itself: the manager, or the institution's administrators."""
        if scope.user_id is None or obj.round.status != RoundStatus.PUBLISHED:
            return False
        if obj.subject_kind == SubjectKind.MANAGER:
            return obj.manager_id == scope.user_id
        return obj.institution_id in _admin_orgs(scope)


@policies.register
class RatingItemPolicy(policies.Policy):
    model = RatingItem

    def scope_q(self, scope, action):
        return rating_q(scope, "rating__") if action == VIEW else None


@policies.register
class RatingObjectionPolicy(policies.Policy):
    model = RatingObjection

    def scope_q(self, scope, action):
        return rating_q(scope, "rating__") if action == VIEW else None

    def can_resolve(self, scope, obj):
        return is_city(scope) and obj.is_open


@policies.register
class EvaluationAccreditationPolicy(policies.Policy):
    """The city accredits and revokes; an organisation's staff read its accreditations;
    everyone signed in may read which organisations are accredited (they run public
    rounds)."""

    model = EvaluationAccreditation

    def scope_q(self, scope, action):
        if action != VIEW or scope.user_id is None:
            return None
        return True

    def can_create(self, scope, obj):
        return is_city(scope)

    def can_revoke(self, scope, obj):
        return is_city(scope) and obj.revoked_at is None
