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

Every match then gets an absolute **relevance** in [0, 1] (the engine's score is relative to
the best hit, so a poor best hit would still score 1): ``0.7 × text + 0.3 × same field``, where
text = max(matched words / 4, matched words / the query's words), counting only words that
carry meaning (the stop list, ``data/stopwords.txt``, is dropped by the engine). A result below
``MIN_RELEVANCE`` is not listed (an empty panel says there is no good match), and a text
surface lists nothing that shares no word with the query. The relevance is shown as a level
(``LEVELS``), never as a raw number; the reasons read as one sentence.

Managers are ranked on field, competence and track record above word overlap::

    0.30 × serves the project's field + 0.25 × competence for the project's stage
    (``data/stage_competences.json``) + 0.25 × min(1, ln(1+deals)/ln(11)) + 0.15 × text
    + 0.05 × (works at the institution or in its district) − 0.15 × min(1, active/8)

Deals and the current workload come from the metrics
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
import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tmhub.core import metrics
from tmhub.core.access import VIEW
from tmhub.core.metrics import Period
from tmhub.matching.engine.scoring import parse_query
from tmhub.matching.sources import DATA_DIR, FLAG, doc_id, field_flag, price_band
from tmhub.matching.store import get_handle

# managers: field, competence and track record weigh more than word overlap
FIELD_WEIGHT = 0.30
COMPETENCE_WEIGHT = 0.25
TRACK_RECORD_WEIGHT = 0.25
TEXT_WEIGHT = 0.15
LOCAL_WEIGHT = 0.05
WORKLOAD_WEIGHT = 0.15
FULL_WORKLOAD = 8  # active projects at which the workload penalty is complete
DEALS_SATURATION = 10
# relevance of a match (see the module docstring)
TEXT_SHARE = 0.7
FIELD_SHARE = 0.3
WORDS_FOR_FULL_TEXT = 4
MIN_RELEVANCE = 0.3
# (lowest relevance, level code, label), best first; below the last nothing is listed
LEVELS = (
    (0.65, "high", gettext_lazy("Strong match")),
    (0.45, "medium", gettext_lazy("Good match")),
    (MIN_RELEVANCE, "low", gettext_lazy("Partial match")),
)


@lru_cache(maxsize=1)
def stage_competences() -> dict[str, frozenset[str]]:
    """{project stage: competence codes it asks of a manager} (``data/stage_competences.json``)."""
    with open(os.path.join(DATA_DIR, "stage_competences.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    return {stage: frozenset(codes) for stage, codes in data.items() if not stage.startswith("_")}


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
    """One ranked result with the reasons shown to the user: ``reasons`` are the clauses of
    ``sentence``; ``relevance`` (0-1, absolute) is shown as ``level``, never as a number."""

    obj: object
    score: float
    terms: list[str]
    reasons: list[str]
    facts: dict = field(default_factory=dict)
    relevance: float = 0.0

    @property
    def sentence(self) -> str:
        """The reasons as one sentence (同属人工智能领域；关键词：机器视觉、缺陷检测)."""
        return pgettext("between the reasons of a match", "; ").join(str(r) for r in self.reasons)

    @property
    def level(self) -> str:
        return next((code for low, code, _label in LEVELS if self.relevance >= low), "")

    @property
    def level_label(self) -> str:
        return next((str(label) for low, _code, label in LEVELS if self.relevance >= low), "")

    @property
    def level_percent(self) -> int:
        """Width of the level bar: 100, 75 or 50 (the three levels)."""
        return {"high": 100, "medium": 75, "low": 50}.get(self.level, 0)


def relevance(matched: int, query_words: int, same_field: bool) -> float:
    """Absolute relevance of one result (module docstring)."""
    text = min(1.0, matched / WORDS_FOR_FULL_TEXT)
    if query_words:
        text = max(text, min(1.0, matched / query_words))
    return round(TEXT_SHARE * text + FIELD_SHARE * float(same_field), 4)


def meaningful_words(text: str) -> int:
    """How many words of a query carry meaning (the engine drops the stop words)."""
    return len(parse_query(text or "").words)


def _listed(matches: list[Match], limit: int, *, need_terms: bool,
            min_relevance: float = MIN_RELEVANCE) -> list[Match]:
    """The matches above the minimum relevance (and sharing a word, for a text query)."""
    kept = [m for m in matches if m.relevance >= min_relevance and (m.terms or not need_terms)]
    return kept[:limit]


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
    """Published achievements for a demand, best first, each with its reasons; only those
    above the minimum relevance."""
    from tmhub.transfer.choices import AchievementStatus
    from tmhub.transfer.models import Achievement

    visible = (Achievement.objects.restrict(user, VIEW)
               .filter(status=AchievementStatus.PUBLISHED)
               .select_related("owner__district", "field", "discipline", "external_record"))
    query = demand_query(demand)
    words = meaningful_words(query.text)
    matches = []
    for achievement, hit in _rank("achievements", query, visible, limit + 10):
        reasons, facts = _common_reasons(hit, achievement.field, demand.field)
        if achievement.discipline_id:
            reasons.append(_("discipline %(name)s") % {"name": achievement.discipline.name})
        reasons.append(_("readiness TRL %(trl)s") % {"trl": achievement.trl})
        facts["trl"] = achievement.trl
        _district_reason(reasons, facts, achievement.owner.district, demand.district)
        if (achievement.publish_asking_terms and achievement.asking_price_fen is not None
                and _within_budget(achievement.asking_price_fen, demand)):
            reasons.append(_("asking price within the budget"))
            facts["within_budget"] = True
        matches.append(Match(achievement, hit.score, facts["matched_terms"], reasons, facts,
                             _relevance(facts, words)))
    return _listed(matches, limit, need_terms=True)


def demands_for_achievement(achievement, *, user, limit: int = 10) -> list[Match]:
    """Published demands an achievement could answer, best first (above the minimum)."""
    from tmhub.transfer.choices import DemandStatus
    from tmhub.transfer.models import Demand

    visible = (Demand.objects.restrict(user, VIEW).filter(status=DemandStatus.PUBLISHED)
               .select_related("organization", "district", "field"))
    query = achievement_query(achievement)
    words = meaningful_words(query.text)
    matches = []
    for demand, hit in _rank("demands", query, visible, limit + 10):
        reasons, facts = _common_reasons(hit, demand.field, achievement.field)
        owner_district = achievement.owner.district if achievement.owner_id else None
        _district_reason(reasons, facts, demand.district, owner_district)
        if (achievement.publish_asking_terms and achievement.asking_price_fen is not None
                and _within_budget(achievement.asking_price_fen, demand)):
            reasons.append(_("budget covers the asking price"))
            facts["within_budget"] = True
        matches.append(Match(demand, hit.score, facts["matched_terms"], reasons, facts,
                             _relevance(facts, words)))
    return _listed(matches, limit, need_terms=True)


def managers_for_project(project, *, user, limit: int = 10) -> list[Match]:
    """Technology managers for a project: field, competence for its stage and track record
    first, then word overlap, locality and workload (module docstring)."""
    achievements = list(project.achievements.select_related("discipline")[:10])
    return _ranked_managers(project_query(project, achievements), user=user, limit=limit,
                            industry_field=project.field, institution=project.institution,
                            stage=project.stage)


def work_query(text: str, *, industry_field=None, institution=None) -> MatchQuery:
    """The query of a piece of work described in words (a funded pilot, a service need) to
    the managers index: its words, its field, the institution and the institution's district."""
    district = institution.district if institution is not None and institution.district_id \
        else None
    structured = _prefs(
        district={"value": district.code if district else None, "weight": 0.5},
        employer={"value": str(institution.pk) if institution is not None else None,
                  "weight": 1.0},
    )
    if industry_field is not None:
        structured[field_flag(industry_field.code)] = {"value": FLAG, "weight": 2.0}
    return MatchQuery(text=text or "", structured=structured, primary=frozenset(structured))


def managers_for_work(text: str, *, user, industry_field=None, institution=None, stage=None,
                      limit: int = 10, min_relevance: float = MIN_RELEVANCE) -> list[Match]:
    """Technology managers for work that is not a transfer project (a funded pilot, a need),
    ranked and explained exactly as for a project: field, competence for ``stage`` (a project
    stage code, optional) and track record first, then words, locality and workload.

    ``min_relevance`` is the cut-off below which a manager is not listed (``MIN_RELEVANCE`` by
    default, as on every panel). A page where staff choose among all managers anyway (a
    pilot's assignment) may lower it to list every manager who shares a word, the field, the
    institution or its district; those below ``MIN_RELEVANCE`` carry no level."""
    return _ranked_managers(work_query(text, industry_field=industry_field,
                                       institution=institution),
                            user=user, limit=limit, industry_field=industry_field,
                            institution=institution, stage=stage, min_relevance=min_relevance)


def _ranked_managers(query: MatchQuery, *, user, limit, industry_field, institution,
                     stage, min_relevance: float = MIN_RELEVANCE) -> list[Match]:
    from tmhub.talent.models import ManagerProfile

    # An account deactivated a moment ago may still be in the index: never recommend it.
    visible = (ManagerProfile.objects.restrict(user, VIEW).filter(user__is_active=True)
               .select_related("user", "employer", "work_district")
               .prefetch_related("fields", "competences"))
    ranked = _rank("managers", query, visible, limit * 3)
    records = manager_records([profile.user_id for profile, _hit in ranked])
    wanted = stage_competences().get(stage, frozenset()) if stage else frozenset()
    field_id = industry_field.pk if industry_field is not None else None
    institution_id = institution.pk if institution is not None else None
    institution_district = institution.district if institution is not None else None
    matches = []
    for profile, hit in ranked:
        deals, active = records.get(profile.user_id, (0, 0))
        shared = [f for f in profile.fields.all() if field_id and f.pk == field_id]
        competent = [c for c in profile.competences.all() if c.code in wanted]
        local = (profile.employer_id == institution_id
                 or (profile.work_district_id is not None and institution is not None
                     and profile.work_district_id == institution.district_id))
        text = min(1.0, hit.explanation.get("signals", {}).get("lexical", 0.0))
        score = (FIELD_WEIGHT * bool(shared)
                 + COMPETENCE_WEIGHT * min(1.0, len(competent) / 2)
                 + TRACK_RECORD_WEIGHT * min(1.0, math.log1p(deals) / math.log1p(DEALS_SATURATION))
                 + TEXT_WEIGHT * text + LOCAL_WEIGHT * local
                 - WORKLOAD_WEIGHT * min(1.0, active / FULL_WORKLOAD))
        reasons, facts = _common_reasons(hit, shared[0] if shared else None, industry_field)
        if competent:
            reasons.append(_("competences for this stage: %(names)s")
                           % {"names": _list_join(c.name for c in competent)})
            facts["competences"] = [c.code for c in competent]
        reasons.append(_("%(n)s deals closed") % {"n": deals})
        if institution_id is not None and profile.employer_id == institution_id:
            reasons.append(_("works at the project's institution"))
        _district_reason(reasons, facts, profile.work_district, institution_district)
        reasons.append(_("%(n)s active projects now") % {"n": active})
        facts.update(deals=deals, active_projects=active)
        score = round(score, 6)
        matches.append(Match(profile, score, facts["matched_terms"], reasons, facts,
                             max(0.0, min(1.0, score))))
    matches.sort(key=lambda m: -m.score)
    return _listed(matches, limit, need_terms=False, min_relevance=min_relevance)


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
    """Service providers for a free-text need (the services they offer, their kind, their
    fields), optionally in an industry field and a district."""
    from tmhub.orgs.models import Organization

    visible = (Organization.objects.restrict(user, VIEW).filter(is_active=True)
               .select_related("district").prefetch_related("fields"))
    words = meaningful_words(text)
    matches = []
    for org, hit in _rank("providers", need_query(text, industry_field, district), visible,
                          limit + 10):
        shared = [f for f in org.fields.all() if industry_field and f.pk == industry_field.pk]
        reasons, facts = _common_reasons(hit, shared[0] if shared else None, industry_field)
        reasons.insert(0, str(org.get_kind_display()))
        _district_reason(reasons, facts, org.district, district)
        if not (text or "").strip():  # no words asked: the field (or district) decides
            score = 1.0 if shared else (0.5 if facts.get("same_district") else 0.0)
            rel = round(TEXT_SHARE * score + FIELD_SHARE * bool(shared), 4)
        else:
            rel = _relevance(facts, words)
        matches.append(Match(org, hit.score, facts["matched_terms"], reasons, facts, rel))
    return _listed(matches, limit, need_terms=bool((text or "").strip()))


# ------------------------------------------------------------------ reasons
def _list_join(items) -> str:
    return pgettext("between the items of a list", ", ").join(str(i) for i in items)


def _relevance(facts: dict, query_words: int) -> float:
    return relevance(len(facts["matched_terms"]), query_words, "shared_field" in facts)


def _common_reasons(hit, result_field, wanted_field) -> tuple[list[str], dict]:
    """The first clauses of a match's sentence: the shared field, then the shared words
    (the engine never lists a stop word)."""
    terms = list(dict.fromkeys(hit.explanation.get("matched_terms") or []))[:8]
    reasons = []
    facts = {"matched_terms": terms, "signals": hit.explanation.get("signals", {})}
    if result_field is not None and wanted_field is not None and result_field.pk == wanted_field.pk:
        reasons.append(_("both in the %(name)s field") % {"name": result_field.name})
        facts["shared_field"] = result_field.code
    if terms:
        reasons.append(_("keywords: %(terms)s") % {"terms": _list_join(terms)})
    return reasons, facts


def _district_reason(reasons, facts, district, wanted) -> None:
    if district is None:
        return
    facts["district"] = district.code
    if wanted is not None and district.pk == wanted.pk:
        reasons.append(_("also in %(name)s") % {"name": district.name})
        facts["same_district"] = True
    else:
        reasons.append(_("in %(name)s") % {"name": district.name})


def _within_budget(price_fen: int, demand) -> bool:
    low, high = demand.budget_min_fen, demand.budget_max_fen
    if low is None and high is None:
        return False
    return (low is None or price_fen >= low) and (high is None or price_fen <= high)
