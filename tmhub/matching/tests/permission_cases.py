"""Permission cases of the matching partials and API: every route, every method it accepts,
every persona."""

from tmhub.core.tests.permission_matrix import EVERYONE, Case, api
from tmhub.matching.models import IntroductionRequest
from tmhub.matching.tests.factories import matching_world

# The district officer reads the projects of institutions in their district (transfer policy).
PROJECT_VIEWERS = frozenset({"municipal_admin", "institution_admin", "manager", "district_officer"})
DEMAND_OWNERS = frozenset({"municipal_admin", "enterprise"})
ACHIEVEMENT_INSIDERS = frozenset({"municipal_admin", "institution_admin"})  # not assigned
# the two sides of a demand-achievement match: the demand's enterprise, the achievement's
# institution and the lead manager of the project carrying it
MATCH_SIDES = frozenset({"enterprise", "institution_admin", "manager"})


def cases(personas):
    world = matching_world(personas)
    published, draft = world.published, world.draft
    demand, draft_demand, project = world.demand, world.draft_demand, world.project
    return [
        # pages (HTMX partials): the source record must be visible, else 404
        Case("matching:achievements-for-demand", (demand,), ok=EVERYONE),
        Case("matching:achievements-for-demand", (draft_demand,), ok=DEMAND_OWNERS),
        Case("matching:demands-for-achievement", (published,), ok=EVERYONE),
        Case("matching:demands-for-achievement", (draft,), ok=ACHIEVEMENT_INSIDERS),
        Case("matching:managers-for-project", (project,), ok=PROJECT_VIEWERS),
        Case("matching:providers-for-need", ok=EVERYONE, query="q=专利检索"),
        Case("matching:providers-for-need", ok=EVERYONE),
        # the next step from a match (POST only; anyone on neither side: 404)
        Case("matching:request-introduction", (demand, published), ok=MATCH_SIDES,
             ok_status=302, method="post", target=IntroductionRequest),
        # API: the same rules
        api("match-achievements-for-demand", (demand,)),
        api("match-achievements-for-demand", (draft_demand,), ok=DEMAND_OWNERS),
        api("match-demands-for-achievement", (published,)),
        api("match-demands-for-achievement", (draft,), ok=ACHIEVEMENT_INSIDERS),
        api("match-managers-for-project", (project,), ok=PROJECT_VIEWERS),
        api("match-providers-for-need", query="q=专利检索"),
        # A field that is not an id is refused as bad input, for everyone.
        api("match-providers-for-need", ok=(), denied_status=400, query="field=x"),
    ]
