"""Directory search: jieba-segmented text stored per profile, matched token by token.

The service stores `search_text` = the space-joined tokens of the name, bio, fields (Chinese and
English names and codes), competences, education and employer, segmented with jieba's search
mode (which also emits the shorter words inside long ones: 人工智能 → 人工 / 智能 / 人工智能).
A query is segmented in precise mode and every query token must be present (AND).

Person names are not words: jieba's dictionary holds few of them, so its HMM guesses, and the
guess for a name differs with the name (赵明远 → 赵 / 明远, but 王建国 stays whole, 欧阳明远 →
欧阳明 / 远). A name indexed whole and by its first character was therefore found by some
queries and not others; a newly registered 赵明远 was found neither by 赵明远 nor by 明远.
`name_tokens` indexes every run of characters inside each part of a Chinese name (at most
ten per two-to-four-character name), so whatever jieba makes of a query that is the name, its
given name, its surname or surname and given name apart, every query token is indexed.

`TokenMatch` compiles to a GIN-indexed full-text match on PostgreSQL (migration 0004 stores
`to_tsvector('simple', search_text)` as a generated column) and to whole-token LIKE on SQLite,
so both databases give the same results.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from django.db.models import BooleanField, Expression, F

from tmhub.core import chinese_text

logger = logging.getLogger(__name__)

_WORD = re.compile(r"[\w\u4e00-\u9fff]+", re.UNICODE)
MAX_QUERY_TOKENS = 8


def _segmenter():
    """The platform's one jieba tokenizer (tmhub.core.chinese_text: loaded once per process,
    shared with the matching engine)."""
    return chinese_text.tokenizer()


def _clean(token: str) -> str:
    token = unicodedata.normalize("NFKC", token).strip().lower()
    return "".join(_WORD.findall(token))


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NAME_PART = 6  # runs longer than this (a transliterated name) are indexed up to this length


def name_tokens(name: str) -> list[str]:
    """Tokens of a person's name: the whole name, each of its parts (split at spaces and
    the 间隔号 of transliterated names, 阿依古丽·买买提), and every run of characters inside a
    Chinese part — the surname, the given name, each character — so that any segmentation of
    a query made of the name, or of a piece of it, finds it. Latin parts are whole words."""
    tokens: dict[str, None] = {}
    whole = _clean(name or "")
    if whole:
        tokens[whole] = None
    for raw in re.split(r"[\s·•・.\-]+", unicodedata.normalize("NFKC", name or "")):
        part = _clean(raw)
        if not part:
            continue
        tokens[part] = None
        for run in _CJK.findall(part):
            for size in range(1, min(len(run), _NAME_PART) + 1):
                for start in range(len(run) - size + 1):
                    tokens[run[start:start + size]] = None
    return list(tokens)


def index_tokens(*texts: str, names: tuple[str, ...] = (),
                 person_names: tuple[str, ...] = ()) -> list[str]:
    """Tokens to store for the given texts; `names` (of organisations) are also indexed whole
    and by first character, `person_names` by every piece of the name (`name_tokens`)."""
    jieba = _segmenter()
    seen: dict[str, None] = {}
    for name in person_names:
        seen.update(dict.fromkeys(name_tokens(name)))
    for name in names:
        name = _clean(name or "")
        if name:
            seen[name] = None
            if len(name) >= 2 and "\u4e00" <= name[0] <= "\u9fff":
                seen[name[0]] = None  # surname search: 张 finds 张伟
    for text in texts:
        for raw in jieba.cut_for_search(text or ""):
            token = _clean(raw)
            if token:
                seen[token] = None
    return list(seen)


def query_tokens(query: str) -> list[str]:
    """Tokens of a user query (precise mode), at most MAX_QUERY_TOKENS."""
    jieba = _segmenter()
    tokens: dict[str, None] = {}
    for raw in jieba.cut(query or ""):
        token = _clean(raw)
        if token:
            tokens[token] = None
    return list(tokens)[:MAX_QUERY_TOKENS]


def _ts_quote(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _like_escape(token: str) -> str:
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class TokenMatch(Expression):
    """True when every token occurs as a whole token of `column` (a space-joined token list)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, tokens: list[str]):
        super().__init__()
        self.column = F(column)
        self.tokens = list(tokens)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False,
                           for_save=False):
        clone = self.copy()
        clone.column = self.column.resolve_expression(query, allow_joins, reuse, summarize,
                                                      for_save)
        return clone

    def as_sql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        if not self.tokens:
            return "1=1", []
        parts, all_params = [], []
        for token in self.tokens:
            parts.append(f"(' ' || {column_sql} || ' ') LIKE %s ESCAPE '\\'")
            all_params += list(params) + [f"% {_like_escape(token)} %"]
        return "(" + " AND ".join(parts) + ")", all_params

    def as_postgresql(self, compiler, connection):
        column_sql, params = compiler.compile(self.column)
        if not self.tokens:
            return "TRUE", []
        tsquery = " & ".join(_ts_quote(t) for t in self.tokens)
        # Migrations 0004/0006 store strip(to_tsvector('simple', search_text)) as
        # `search_vector` beside the text column (GIN-indexed; positions are never needed by an
        # AND of tokens); the compiled column reference names the table alias.
        if column_sql.endswith('"search_text"'):
            vector_sql = column_sql[: -len('"search_text"')] + '"search_vector"'
        else:
            vector_sql = f"to_tsvector('simple'::regconfig, {column_sql})"
        sql = f"{vector_sql} @@ to_tsquery('simple'::regconfig, %s)"
        return sql, [*params, tsquery]


def search(queryset, query: str, column: str = "search_text"):
    """Filter `queryset` to rows matching every token of `query` (unchanged for a blank query)."""
    tokens = query_tokens(query)
    if not tokens:
        return queryset
    return queryset.filter(TokenMatch(column, tokens))
