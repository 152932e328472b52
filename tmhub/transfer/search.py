"""Token search over achievements and demands: the same jieba tokens as the talent directory.

A substring scan (`icontains`) of every title, abstract and keyword list answered a search over
200,000 achievements in 2.7 s (bench/bench_load.py). Each record now stores `search_text`, the
space-joined jieba search-mode tokens of its title, text, keywords and its organisation's name
(Chinese and English); `search()` keeps the rows holding every token of the query. On PostgreSQL
migration 0009 stores the text's tsvector with a GIN index, so a search reads the index; on
SQLite it is a whole-token LIKE (tmhub.talent.search.TokenMatch).
"""

from __future__ import annotations

from tmhub.talent.search import TokenMatch, index_tokens, query_tokens


def achievement_search_text(achievement) -> str:
    owner = achievement.owner if achievement.owner_id else None
    return " ".join(index_tokens(
        achievement.title, achievement.abstract, achievement.keywords,
        getattr(owner, "name", ""), getattr(owner, "name_en", ""),
        names=(getattr(owner, "name", ""),),
    ))


def demand_search_text(demand) -> str:
    organization = demand.organization if demand.organization_id else None
    return " ".join(index_tokens(
        demand.title, demand.problem, demand.expected_outcome, demand.keywords,
        getattr(organization, "name", ""), getattr(organization, "name_en", ""),
        names=(getattr(organization, "name", ""),),
    ))


def refresh(record) -> None:
    """Store the record's search text (a column update: not a change anyone made)."""
    from tmhub.transfer.models import Achievement

    text_for = achievement_search_text if isinstance(record, Achievement) \
        else demand_search_text
    record.search_text = text_for(record)
    type(record).objects.filter(pk=record.pk).update(search_text=record.search_text)


def search(queryset, query: str):
    """Rows of `queryset` holding every token of `query` (unchanged for a blank query)."""
    tokens = query_tokens(query)
    if not tokens:
        return queryset
    return queryset.filter(TokenMatch("search_text", tokens))
