"""The one matching service behind every surface (pages, API, batch evaluation).

Ranking = the engine's documented score (``tmhub/matching/engine/scoring.py``: BM25F over
character bigrams and words, query-word coverage, discipline affinity) plus the structured
signals each query passes here, each worth ``structured_weight`` (0.2) × its weight:

==========================  ==================================================  ======
surface                     structured signals (weight)                         extra
==========================  ==================================================  ======
demand → achievements       same industry field (1), same district (0.5),       —
                            TRL closeness to 9 (0.5), price band = budget (0.5)
achievement → demands       same field (1), same district (0.5), budget (0.5)   —
project → managers          serves the project's field (2), same district       track
                            (0.5), employed by the institution (1), discipline  record,
                            of the project's achievements (0.5)                 workload
need → providers            serves the field (2), same district (0.5)           —
==========================  ==================================================  ======

Managers then get ``+ 0.15 × min(1, ln(1+deals)/ln(11))`` for their deals and
``− 0.15 × min(1, active/8)`` for their current workload. Both figures come from the metrics
registry (``transfer_deals``: projects on which a technology contract was signed, over the
manager's whole record; ``transfer_active_projects``: assignments today on projects not yet
landed — their one written definition is in ``tmhub/transfer/metrics.py``), read fresh from the
database, so a manager's record counts the moment it changes and means what the annual filing,
evaluation and dashboards mean by it.

Results are always re-read through the restricted querysets of the requesting user and the
record's own status, so an index that lags a withdrawal by a moment still shows nothing it
should not.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import metrics
from tmhub.core.access import VIEW
from tmhub.core.metrics import Period
from tmhub.matching.sources import FLAG, doc_id, field_flag, price_band
from tmhub.matching.store import get_handle

TRACK_RECORD_WEIGHT = 0.15
WORKLOAD_WEIGHT = 0.15
FULL_WORKLOAD = 8  # active projects at which the workload penalty is complete
DEALS_SATURATION = 10


@dataclass(frozen=True)
class MatchQuery:
    """What one surface asks the engine: text, structured preferences, ids to leave out."""

    text: str
    structured: dict = field(default_factory=dict)
    exclude_ids: tuple[str, ...] = ()
    # preferences that may qualify a result on their own when the text matches nothing
    # (a field, a district); the others (TRL, price band) only reorder text matches
    primary: frozenset = frozenset({"field", "district"})

    def qualifies(self, hit) -> bool:
        signals = hit.explanation.get("signals", {})
        return signals.get("lexical", 0) > 0 or any(
            signals.get(f"structured:{name}", 0) > 0 for name in self.primary
            if name in self.structured)


@dataclass
class Match:
    """One ranked result with the reasons shown to the user."""

    obj: object
    score: float
    terms: list[str]
    reasons: list[str]
    facts: dict = field(default_factory=dict)


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def _prefs(**values) -> dict:
    """Structured preferences without the unknown ones."""
    return {name: spec for name, spec in values.items()
            if spec is not None and (not isinstance(spec, dict) or spec["value"] is not None)}


# ------------------------------------------------------------------ queries
def demand_query(demand) -> MatchQuery:
    """The query a demand asks of the achievements index (works on unsaved demands too, which
    is how ``match_batch`` ranks a bare query text exactly like a demand page)."""
    band = price_band(demand.budget_max_fen or demand.budget_min_fen)
    return MatchQuery(
        text=_join(demand.title, demand.problem, demand.expected_outcome,
                   " ".join(demand.keyword_list)),
        structured=_prefs(
            field=demand.field.code if demand.field_id else None,
            district={"value": demand.district.code if demand.district_id else None,
                      "weight": 0.5},
            trl={"value": 9, "weight": 0.5},
            price_band={"value": band, "weight": 0.5},
        ),
    )


def achievement_query(achievement) -> MatchQuery:
    """The query an achievement asks of the demands index."""
    owner_district = achievement.owner.district if achievement.owner_id else None
    band = price_band(achievement.asking_price_fen) if achievement.publish_asking_terms else None
    return MatchQuery(
        text=_join(achievement.title, achievement.abstract, " ".join(achievement.keyword_list)),
        structured=_prefs(
            field=achievement.field.code if achievement.field_id else None,
            district={"value": owner_district.code if owner_district else None, "weight": 0.5},
            price_band={"value": band, "weight": 0.5},
        ),
    )


def project_query(project, achievements) -> MatchQuery:
    """The query a transfer project asks of the managers index."""
    from tmhub.transfer.models import ProjectAssignment

    disciplines = sorted({a.discipline.code for a in achievements if a.discipline_id})
    busy = ProjectAssignment.objects.filter(project=project, released_on__isnull=True)
    busy_profiles = busy.filter(user__manager_profile__isnull=False).values_list(
        "user__manager_profile__id", flat=True)
    structured = _prefs(
        district={"value": (project.institution.district.code
                            if project.institution.district_id else None), "weight": 0.5},
        employer={"value": str(project.institution_id), "weight": 1.0},
        discipline={"value": disciplines or None, "weight": 0.5},
    )
    if project.field_id:
        structured[field_flag(project.field.code)] = {"value": FLAG, "weight": 2.0}
    text = _join(project.title, project.description,
                 *(_join(a.title, " ".join(a.keyword_list)) for a in achievements[:10]))
    return MatchQuery(text=text, structured=structured,
                      exclude_ids=tuple(doc_id(pk) for pk in busy_profiles),
                      primary=frozenset(structured) - {"discipline"})


def need_query(text: str, industry_field=None, district=None) -> MatchQuery:
    """The query of a free-text need (with an optional field) to the providers index."""
    structured = _prefs(district={"value": district.code if district else None, "weight": 0.5})
    if industry_field is not None:
        structured[field_flag(industry_field.code)] = {"value": FLAG, "weight": 2.0}
    return MatchQuery(text=text or "", structured=structured, primary=frozenset(structured))


# ------------------------------------------------------------------ ranking
def _rank(kind: str, query: MatchQuery, queryset, limit: int) -> list[tuple[object, object]]:
    """(row, hit) pairs, best first, for rows of ``queryset`` (already restricted for the
    user). Asks the engine for more hits when some are filtered out, so ``limit`` rows come
    back whenever that many visible rows match."""
    if not query.text.strip() and not (query.primary & set(query.structured)):
        return []
    index = get_handle(kind).get()
    wanted = limit + 10
    while True:
        found = index.search(query.text, top_k=wanted, structured=query.structured or None,
                             exclude_ids=query.exclude_ids)
        hits = [h for h in found if query.qualifies(h)]
        rows = queryset.in_bulk([int(h.id) for h in hits])
        ranked = [(rows[int(h.id)], h) for h in hits if int(h.id) in rows]
        if len(ranked) >= limit or len(found) < wanted or wanted >= 4 * len(index) + 10:
            return ranked[:limit]
        wanted *= 4


def achievements_for_demand(demand, *, user, limit: int = 10) -> list[Match]:
    """Published achievements for a demand, best first, each with its reasons."""
    from tmhub.transfer.choices import AchievementStatus
    from tmhub.transfer.models import Achievement

    visible = (Achievement.objects.restrict(user, VIEW)
               .filter(status=AchievementStatus.PUBLISHED)
               .select_related("owner__district", "field", "discipline", "external_record"))
    matches = []
    for achievement, hit in _rank("achievements", demand_query(demand), visible, limit):
        reasons, facts = _common_reasons(hit, achievement.field, demand.field)
        if achievement.discipline_id:
            reasons.append(_("Discipline: %(name)s") % {"name": achievement.discipline.name})
        reasons.append(_("Readiness level TRL %(trl)s") % {"trl": achievement.trl})
        facts["trl"] = achievement.trl
        _district_reason(reasons, facts, achievement.owner.district, demand.district)
        if (achievement.publish_asking_terms and achievement.asking_price_fen is not None
                and _within_budget(achievement.asking_price_fen, demand)):
            reasons.append(_("Asking price within the budget"))
            facts["within_budget"] = True
        matches.append(Match(achievement, hit.score, facts["matched_terms"], reasons, facts))
    return matches


def demands_for_achievement(achievement, *, user, limit: int = 10) -> list[Match]:
    """Published demands an achievement could answer, best first."""
    from tmhub.transfer.choices import DemandStatus
    from tmhub.transfer.models import Demand

    visible = (Demand.objects.restrict(user, VIEW).filter(status=DemandStatus.PUBLISHED)
               .select_related("organization", "district", "field"))
    matches = []
    for demand, hit in _rank("demands", achievement_query(achievement), visible, limit):
        reasons, facts = _common_reasons(hit, demand.field, achievement.field)
        owner_district = achievement.owner.district if achievement.owner_id else None
        _district_reason(reasons, facts, demand.district, owner_district)
        if (achievement.publish_asking_terms and achievement.asking_price_fen is not None
                and _within_budget(achievement.asking_price_fen, demand)):
            reasons.append(_("Budget covers the asking price"))
            facts["within_budget"] = True
        matches.append(Match(demand, hit.score, facts["matched_terms"], reasons, facts))
    return matches


def managers_for_project(project, *, user, limit: int = 10) -> list[Match]:
    """Technology managers for a project: text and field fit, track record, workload."""
    from tmhub.talent.models import ManagerProfile

    achievements = list(project.achievements.select_related("discipline")[:10])
    # An account deactivated a moment ago may still be in the index: never recommend it.
    visible = (ManagerProfile.objects.restrict(user, VIEW).filter(user__is_active=True)
               .select_related("user", "employer", "work_district")
               .prefetch_related("fields"))
    ranked = _rank("managers", project_query(project, achievements), visible, limit * 3)
    records = manager_records([profile.user_id for profile, _hit in ranked])
    matches = []
    for profile, hit in ranked:
        deals, active = records.get(profile.user_id, (0, 0))
        score = (hit.score
                 + TRACK_RECORD_WEIGHT * min(1.0, math.log1p(deals) / math.log1p(DEALS_SATURATION))
                 - WORKLOAD_WEIGHT * min(1.0, active / FULL_WORKLOAD))
        shared = [f for f in profile.fields.all() if f.pk == project.field_id]
        reasons, facts = _common_reasons(hit, shared[0] if shared else None, project.field)
        if profile.employer_id == project.institution_id:
            reasons.append(_("Works at the project's institution"))
        _district_reason(reasons, facts, profile.work_district, project.institution.district)
        reasons.append(_("Deals closed: %(n)s") % {"n": deals})
        reasons.append(_("Current workload: %(n)s active projects") % {"n": active})
        facts.update(deals=deals, active_projects=active)
        matches.append(Match(profile, round(score, 6), facts["matched_terms"], reasons, facts))
    matches.sort(key=lambda m: -m.score)
    return matches[:limit]


def manager_records(user_ids) -> dict[int, tuple[int, int]]:
    """{user id: (deals, active projects)}, from the metrics registry: all deals up to today,
    the workload of today (two queries, whatever the number of managers)."""
    ids = list(user_ids)
    record = Period(datetime.date.min, timezone.localdate())
    deals = metrics.get("transfer_deals").values(ids, record)
    active = metrics.get("transfer_active_projects").values(ids, record)
    return {user_id: (deals[user_id], active[user_id]) for user_id in deals}


def providers_for_need(text: str, *, user, industry_field=None, district=None,
                       limit: int = 10) -> list[Match]:
    """Service providers for a free-text need, optionally in an industry field."""
    from tmhub.orgs.models import Organization

    visible = (Organization.objects.restrict(user, VIEW).filter(is_active=True)
               .select_related("district").prefetch_related("fields"))
    matches = []
    for org, hit in _rank("providers", need_query(text, industry_field, district), visible,
                          limit):
        shared = [f for f in org.fields.all() if industry_field and f.pk == industry_field.pk]
        reasons, facts = _common_reasons(hit, shared[0] if shared else None, industry_field)
        reasons.append(str(org.get_kind_display()))
        _district_reason(reasons, facts, org.district, district)
        matches.append(Match(org, hit.score, facts["matched_terms"], reasons, facts))
    return matches


# ------------------------------------------------------------------ reasons
def _common_reasons(hit, result_field, wanted_field) -> tuple[list[str], dict]:
    terms = list(dict.fromkeys(hit.explanation.get("matched_terms") or []))[:8]
    reasons = []
    if terms:
        reasons.append(_("Matched terms: %(terms)s") % {"terms": "、".join(terms)})
    facts = {"matched_terms": terms, "signals": hit.explanation.get("signals", {})}
    if result_field is not None and wanted_field is not None and result_field.pk == wanted_field.pk:
        reasons.append(_("Same industry field: %(name)s") % {"name": result_field.name})
        facts["shared_field"] = result_field.code
    return reasons, facts


def _district_reason(reasons, facts, district, wanted) -> None:
    if district is None:
        return
    facts["district"] = district.code
    if wanted is not None and district.pk == wanted.pk:
        reasons.append(_("Same district: %(name)s") % {"name": district.name})
    else:
        reasons.append(_("District: %(name)s") % {"name": district.name})


def _within_budget(price_fen: int, demand) -> bool:
    low, high = demand.budget_min_fen, demand.budget_max_fen
    if low is None and high is None:
        return False
    return (low is None or price_fen >= low) and (high is None or price_fen <= high)
