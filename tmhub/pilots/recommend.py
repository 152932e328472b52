"""Candidates for a pilot's manager: the matching service's ranked recommendation with its
reasons, and each candidate's current workload (pilots and transfer projects, from the
metrics registry: two queries whatever the number of candidates)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from tmhub.core import metrics


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


def _matches(pilot, user, limit):
    """The matching service's ranking: for the pilot's linked transfer project when it has
    one, otherwise for the pilot's own title, field and institution."""
    from tmhub.matching import services as matching

    project = pilot.projects.select_related("institution__district", "field").first()
    if project is not None:
        return matching.managers_for_project(project, user=user, limit=limit)
    return matching_for_pilot(pilot, user=user, limit=limit)


def matching_for_pilot(pilot, *, user, limit):
    from tmhub.core.access import VIEW
    from tmhub.matching import services as matching
    from tmhub.matching.sources import field_flag
    from tmhub.talent.models import ManagerProfile

    structured = {"district": {"value": pilot.district.code if pilot.district_id else None,
                               "weight": 0.5},
                  "employer": {"value": str(pilot.institution_id), "weight": 1.0}}
    structured = {k: v for k, v in structured.items() if v["value"] is not None}
    if pilot.field_id:
        structured[field_flag(pilot.field.code)] = {"value": 1.0, "weight": 2.0}
    query = matching.MatchQuery(text=f"{pilot.title} {pilot.selection_reason}",
                                structured=structured, primary=frozenset(structured))
    visible = (ManagerProfile.objects.restrict(user, VIEW).filter(user__is_active=True)
               .select_related("user"))
    ranked = matching._rank("managers", query, visible, limit)
    out = []
    for profile, hit in ranked:
        reasons, facts = matching._common_reasons(hit, None, pilot.field)
        if profile.employer_id == pilot.institution_id:
            reasons.append(matching._("works at the project's institution"))
        score = float(hit.score or 0)
        out.append(matching.Match(profile, score, facts.get("matched_terms", []), reasons,
                                  facts, max(0.0, min(1.0, score))))
    return out


def candidates(pilot, user, limit: int = 8) -> list[Candidate]:
    try:
        matches = _matches(pilot, user, limit)
    except Exception:  # noqa: BLE001 — an index still being built: workload only
        matches = []
    rows: dict[int, Candidate] = {}
    for match in matches:
        profile = match.obj
        rows[profile.user_id] = Candidate(user=profile.user, name=profile.full_name,
                                          reasons=match.sentence, level=match.level_label,
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
