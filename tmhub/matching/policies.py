"""Who may ask for an introduction from a match, and who sees the requests.

One side of a demand-achievement pair asks: the demand's side (the enterprise, or whoever
recorded the demand for it) expresses interest in an achievement; the achievement's side (the
owner institution's administrators and managers, the managers assigned to the achievement or
to a project carrying it) requests an introduction to a demand. Anyone else is refused like a
missing record (404). The requests are seen by the person who asked, both sides and the city.
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.matching.models import IntroductionRequest
from tmhub.transfer.policies import INSTITUTION_STAFF, _owns_demand


def demand_side(scope, demand) -> bool:
    """The demand's enterprise, or whoever recorded the demand for it."""
    return _owns_demand(scope, demand)


def achievement_side(scope, achievement) -> bool:
    """The owner institution's staff, the achievement's assigned managers, and the active
    managers of a project carrying it."""
    if not scope.is_authenticated:
        return False
    if achievement.owner_id in scope.orgs(*INSTITUTION_STAFF):
        return True
    if achievement.managers.filter(pk=scope.user_id).exists():
        return True
    return achievement.projects.filter(
        assignments__user_id=scope.user_id, assignments__released_on__isnull=True
    ).exists()


def side_of(scope, achievement, demand) -> str | None:
    """The side ``scope`` asks from (the demand's first), or None when it is neither."""
    if demand_side(scope, demand):
        return IntroductionRequest.Side.DEMAND
    if achievement_side(scope, achievement):
        return IntroductionRequest.Side.ACHIEVEMENT
    return None


@policies.register
class IntroductionRequestPolicy(Policy):
    """Introduction requests: asked by one side of the pair, seen by both and the city."""

    model = IntroductionRequest

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        if scope.is_municipal:
            return True
        mine = Q(requested_by_id=scope.user_id)
        if action != "view":
            return mine
        return (
            mine
            | Q(demand__organization__in=scope.orgs(Role.ENTERPRISE))
            | Q(demand__created_by_id=scope.user_id)
            | Q(achievement__owner__in=scope.orgs(*INSTITUTION_STAFF))
        )

    def can_request(self, scope, request) -> bool:
        """``request`` is unsaved, with its achievement and demand set."""
        return side_of(scope, request.achievement, request.demand) is not None
