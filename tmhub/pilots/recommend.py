"""Candidates for a pilot's manager: the matching service's ranked recommendation with its
reasons (its public ``managers_for_work``), and each candidate's current workload (pilots and
transfer projects, from the metrics registry: two queries whatever the number of candidates)."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import metrics
from tmhub.pilots.choices import Stage

log = logging.getLogger(__name__)


@dataclass
class Candidate:
    user: object
    name: str
    reasons: str = ""
    level: str = ""
    recommended: bool = False
    pilots: int = 0
    projects: int = 0
    assigned_here: bool = False
    extra: dict = field(default_factory=dict)


# The competences a pilot's stage asks of its manager, read as the transfer-project stage
# whose duties it is (matching's data/stage_competences.json): a feasibility study evaluates
# the results and their market (评价), application and transfer negotiates and signs the
# contracts (交易), implementation and close-out see the results land (落地).
PROJECT_STAGE_OF = {
    Stage.FEASIBILITY: "evaluation",
    Stage.APPLICATION: "transaction",
    Stage.IMPLEMENTATION: "landing",
    Stage.CLOSEOUT: "landing",
}
# The assignment page lists every manager the engine finds for the pilot (a shared word, its
# field, the institution or its district), not only those above matching's panel cut-off: the
# city chooses among all registered managers anyway, and sees each one's workload beside the
# ranking. Those below the cut-off carry no level ("possible match").
MIN_RELEVANCE = 0.0


def work_text(pilot) -> str:
    """The words of the pilot and of its linked transfer projects."""
    parts = [pilot.title, pilot.selection_reason]
    for project in pilot.projects.all()[:5]:
        parts += [project.title, project.description]
    return "\n".join(p for p in parts if p)


def _matches(pilot, user, limit):
    """The matching service's ranking of managers for the pilot as a piece of work: its words
    (and its linked projects'), its field (or its linked project's), the undertaking
    institution and the competences of its stage."""
    from tmhub.matching import services as matching

    field = pilot.field
    if field is None:
        project = pilot.projects.select_related("field").exclude(field=None).first()
        field = project.field if project is not None else None
    return matching.managers_for_work(
        work_text(pilot), user=user, industry_field=field, institution=pilot.institution,
        stage=PROJECT_STAGE_OF.get(pilot.stage), limit=limit, min_relevance=MIN_RELEVANCE)


def candidates(pilot, user, limit: int = 8) -> list[Candidate]:
    try:
        matches = _matches(pilot, user, limit)
    except OSError:  # the index's files cannot be read now: the workload only, and say so
        log.exception("no manager recommendation for pilot %s", pilot.pk)
        matches = []
    rows: dict[int, Candidate] = {}
    for match in matches:
        profile = match.obj
        rows[profile.user_id] = Candidate(user=profile.user, name=profile.full_name,
                                          reasons=match.sentence,
                                          level=match.level_label or _("Possible match"),
                                          recommended=True)
    for a in pilot.active_assignments().select_related("manager"):
        rows.setdefault(a.manager_id, Candidate(user=a.manager, name=str(a.manager)))
        rows[a.manager_id].assigned_here = True
    today = timezone.localdate()
    period = metrics.Period(datetime.date(1900, 1, 1), today)
    now = metrics.Period(today, today)
    ids = list(rows)
    pilots = metrics.get("pilots_managed").values(ids, now)
    projects = metrics.get("transfer_active_projects").values(ids, period)
    for user_id, row in rows.items():
        row.pilots, row.projects = pilots[user_id], projects[user_id]
    return list(rows.values())
