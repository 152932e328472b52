"""Permission cases of the matching partials and API: every route, every method it accepts,
every persona."""

from tmhub.core.tests.permission_matrix import EVERYONE, Case, api
from tmhub.matching.tests.factories import matching_world

PROJECT_VIEWERS = frozenset({"municipal_admin", "institution_admin", "manager"})
DEMAND_OWNERS = frozenset({"municipal_admin", "enterprise"})
ACHIEVEMENT_INSIDERS = frozenset({"municipal_admin", "institution_admin"})  # not assigned


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
