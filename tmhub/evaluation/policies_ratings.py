"""Policies of social evaluation (issue 17), registered with the title round's policies
(tmhub.evaluation.policies imports this module).

- Indicator systems: a published version is public reference data (everyone reads it, with
  its tree); drafts and every change are the city's (municipal administrators).
- Rating rounds: the city runs them (creates, opens, computes, publishes); a published round
  is read by everyone signed in; a reviewer reads the rounds they have reviews in.
- Reviews: a reviewer sees and scores only the reviews assigned to them; the city reads all.
- Ratings (with their items and objections), once the round is published: a technology
  manager reads their own; an institution's administrators read the institution's and those
  of the managers it employed when the rating was computed; the city reads every one, also
  before publication. The rated subject (the manager; an institution's administrators) may
  object; the city resolves objections."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.roles import Role
from tmhub.evaluation.models import (
    Indicator,
    IndicatorSystem,
    Rating,
    RatingItem,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind, SystemStatus

REVIEWABLE = (RoundStatus.OPEN, RoundStatus.COMPUTED)


def is_city(scope) -> bool:
    return scope.is_municipal


def _admin_orgs(scope):
    return scope.orgs(Role.INSTITUTION_ADMIN)


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
        condition = Q(status=RoundStatus.PUBLISHED)
        if scope.has_role(Role.REVIEWER):
            condition |= Q(pk__in=RatingReview.objects.filter(
                reviewer_id=scope.user_id).values("round_id"))
        return condition

    def can_create(self, scope, obj):
        return is_city(scope)

    def can_run(self, scope, obj):
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
        if mine is None:
            return None
        if action == CHANGE:
            return mine & Q(round__status__in=REVIEWABLE)
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
    return condition & Q(**{f"{p}round__status": RoundStatus.PUBLISHED})


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
