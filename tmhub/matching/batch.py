"""Batch evaluation: load a corpus as published achievements, rank query texts as demands.

Files are JSON lines. Corpus rows ``{"id", "title", "abstract", optional "discipline",
"category", "keywords"}``; query rows ``{"qid", "text"}`` (other keys ignored); output rows
``{"qid", "ranked": [ids…]}``. Both input files are checked completely before anything is
written; every error names the file and line.

The corpus goes through the transfer services the achievement form uses (create, then publish)
in one transaction, owned by an evaluation institution whose administrator account does the
work, so validation and audit are those of a user's import. Ranking calls
``services.achievements_for_demand`` on an unsaved demand holding the query text: the very
function a demand's page calls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.core.actors import SYSTEM
from tmhub.matching.models import ExternalRecord

TITLE_MAX = 200
KEYWORDS_MAX = 300
GENERATED_TITLE_CHARS = 40
EVALUATION_ORG = "批量评测语料机构"
EVALUATION_USER = "match-batch"


class BatchInputError(Exception):
    """A malformed input file; the message names the file and line."""


@dataclass
class CorpusRow:
    line: int
    id: str
    title: str
    abstract: str
    discipline: str = ""
    category: str = ""
    keywords: tuple[str, ...] = ()


def _rows(path: str):
    """(line number, JSON object) for each non-blank line of ``path``."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise BatchInputError(f"{path}: {exc.strerror}") from exc
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except ValueError as exc:
                raise BatchInputError(f"{path}, line {number}: not valid JSON ({exc})") from exc
            if not isinstance(row, dict):
                raise BatchInputError(f"{path}, line {number}: expected a JSON object")
            yield number, row


def _text(path, number, row, key, *, required=True, strip=True) -> str:
    if key not in row or row[key] is None:
        if required:
            raise BatchInputError(f'{path}, line {number}: missing field "{key}"')
        return ""
    value = row[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("id", "qid"):
        return str(value)
    if not isinstance(value, str):
        raise BatchInputError(f'{path}, line {number}: field "{key}" must be a string')
    return value.strip() if strip else value


def _identifier(path, number, row, key, seen: dict[str, int]) -> str:
    value = _text(path, number, row, key)
    if not value:
        raise BatchInputError(f'{path}, line {number}: field "{key}" is empty')
    if value in seen:
        raise BatchInputError(f'{path}, line {number}: duplicate {key} "{value}" '
                              f"(first on line {seen[value]})")
    seen[value] = number
    return value


def read_corpus(path: str) -> list[CorpusRow]:
    """Every corpus row, checked (see the module docstring)."""
    rows, seen = [], {}
    for number, row in _rows(path):
        doc_id = _identifier(path, number, row, "id", seen)
        title = _text(path, number, row, "title")
        abstract = _text(path, number, row, "abstract")
        if not abstract:
            raise BatchInputError(f'{path}, line {number}: field "abstract" is empty')
        keywords = row.get("keywords") or ()
        if isinstance(keywords, str):
            keywords = keywords.replace("，", ",").replace("；", ",").replace(";", ",").split(",")
        if not isinstance(keywords, (list, tuple)) or not all(isinstance(k, str)
                                                              for k in keywords):
            raise BatchInputError(f'{path}, line {number}: field "keywords" must be a list of '
                                  "strings or a comma-separated string")
        rows.append(CorpusRow(
            line=number, id=doc_id, title=title, abstract=abstract,
            discipline=_text(path, number, row, "discipline", required=False),
            category=_text(path, number, row, "category", required=False),
            keywords=tuple(k.strip() for k in keywords if k.strip()),
        ))
    if not rows:
        raise BatchInputError(f"{path}: the corpus is empty")
    return rows


def read_queries(path: str) -> list[tuple[str, str]]:
    """(qid, text) of every query row, checked."""
    queries, seen = [], {}
    for number, row in _rows(path):
        qid = _identifier(path, number, row, "qid", seen)
        queries.append((qid, _text(path, number, row, "text", strip=False)))
    return queries


# ------------------------------------------------------------------ loading
def evaluation_owner():
    """The evaluation institution and its administrator account (made once, via services, by
    the platform itself: the batch is a command, not a person's request)."""
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.choices import OrgKind
    from tmhub.core.roles import Role
    from tmhub.orgs.models import Organization
    from tmhub.orgs.services import create_organization

    org = Organization.objects.filter(name=EVALUATION_ORG).first() or create_organization(
        actor=SYSTEM, name=EVALUATION_ORG, kind=OrgKind.RESEARCH_INSTITUTE,
        description="Records loaded by manage.py match_batch for relevance evaluation.")
    user = User.objects.filter(username=EVALUATION_USER).first()
    if user is None:
        user = create_user(actor=SYSTEM, username=EVALUATION_USER, password=None,
                           display_name="match_batch")
        grant_membership(actor=SYSTEM, user=user, role=Role.INSTITUTION_ADMIN, organization=org)
    return org, user


def _discipline_lookup() -> dict[str, object]:
    """Chinese discipline name → the highest-level NSFC discipline of that name."""
    from tmhub.core.models import Discipline

    lookup: dict[str, object] = {}
    for discipline in Discipline.objects.order_by("-code"):
        current = lookup.get(discipline.name_zh)
        if current is None or len(discipline.code) <= len(current.code):
            lookup[discipline.name_zh] = discipline
    return lookup


def _display_title(row: CorpusRow) -> tuple[str, bool]:
    if row.title:
        return row.title[:TITLE_MAX], False
    first = row.abstract.replace("。", "。\n").replace(". ", ".\n").splitlines()[0]
    text = first if len(first) <= GENERATED_TITLE_CHARS else first[:GENERATED_TITLE_CHARS] + "…"
    return text, True


def _keywords(row: CorpusRow) -> str:
    text = ""
    for keyword in row.keywords:
        candidate = f"{text},{keyword}" if text else keyword
        if len(candidate) > KEYWORDS_MAX:
            break
        text = candidate
    return text


def load_corpus(rows: list[CorpusRow], *, source: str, progress=None) -> dict[int, str]:
    """Create and publish the rows not loaded yet under ``source`` (all in one transaction);
    returns {achievement pk: corpus id} for every row of the corpus."""
    from tmhub.matching.indexing import updates_suspended
    from tmhub.transfer.services.achievements import create_achievement, publish_achievement

    owner, actor = evaluation_owner()
    disciplines = _discipline_lookup()
    known = dict(ExternalRecord.objects.filter(source=source)
                 .values_list("external_id", "achievement_id"))
    inventor = [{"name": _("Not recorded (batch import)"), "share": 100}]
    with updates_suspended(), transaction.atomic():
        for number, row in enumerate(rows, start=1):
            if row.id in known:
                continue
            title, generated = _display_title(row)
            discipline = disciplines.get(row.discipline)
            achievement = create_achievement(
                actor=actor, owner=owner, inventors=inventor, title=title,
                abstract=row.abstract, keywords=_keywords(row), discipline=discipline)
            publish_achievement(achievement, actor=actor)
            ExternalRecord.objects.create(
                source=source, external_id=row.id, achievement=achievement,
                discipline_label="" if discipline else row.discipline[:100],
                category_label=row.category[:100], title_generated=generated)
            known[row.id] = achievement.pk
            if progress and number % 1000 == 0:
                progress(number)
    wanted = {row.id for row in rows}
    return {pk: external for external, pk in known.items() if external in wanted}


def rank(queries: list[tuple[str, str]], ids: dict[int, str], top: int) -> list[dict]:
    """Rank every query as a demand holding its text would be ranked on its page."""
    from tmhub.matching.services import achievements_for_demand
    from tmhub.matching.store import get_handle
    from tmhub.transfer.models import Demand

    others = max(0, len(get_handle("achievements").get()) - len(ids))
    viewer = AnonymousUser()  # what anyone may see: published achievements
    results = []
    for qid, text in queries:
        matches = achievements_for_demand(Demand(title="", problem=text), user=viewer,
                                          limit=top + others)
        ranked = [ids[m.obj.pk] for m in matches if m.obj.pk in ids][:top]
        results.append({"qid": qid, "ranked": ranked})
    return results
