"""Permission cases of the matching partials and API (every URL × every persona)."""

from tmhub.core.tests.permission_matrix import EVERYONE, Case
from tmhub.matching.tests.factories import matching_world

PROJECT_VIEWERS = frozenset({"municipal_admin", "institution_admin", "manager"})
DEMAND_OWNERS = frozenset({"municipal_admin", "enterprise"})
ACHIEVEMENT_INSIDERS = frozenset({"municipal_admin", "institution_admin"})  # not assigned


def cases(personas):
    world = matching_world(personas)
    published, draft = world.published.pk, world.draft.pk
    demand, draft_demand, project = world.demand.pk, world.draft_demand.pk, world.project.pk
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
        Case("match-achievements-for-demand", (demand,), ok=EVERYONE),
        Case("match-achievements-for-demand", (draft_demand,), ok=DEMAND_OWNERS),
        Case("match-demands-for-achievement", (published,), ok=EVERYONE),
        Case("match-demands-for-achievement", (draft,), ok=ACHIEVEMENT_INSIDERS),
        Case("match-managers-for-project", (project,), ok=PROJECT_VIEWERS),
        Case("match-providers-for-need", ok=EVERYONE, query="q=专利检索"),
        Case("match-providers-for-need", ok=frozenset(), denied_status=400,
             query="field=999999"),
    ]
