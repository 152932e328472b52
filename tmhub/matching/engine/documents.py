"""The document model accepted by the index, and the scoring parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

# Attribute names that are always kept as structured columns when present on a document.
CORE_ATTRIBUTES = ("discipline", "category")


@dataclass(frozen=True)
class Document:
    """One indexable record.

    ``attributes`` holds structured fields passed by the platform (field code,
    discipline code, TRL 1-9, district, ...).  Values must be scalars: strings
    match by equality, numbers (int/float) support ranges and closeness.
    ``discipline`` and ``category`` are stored as attributes too.
    """

    id: str
    title: str = ""
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | Document) -> Document:
        """Accept a :class:`Document` or a dict ``{id, title, abstract, keywords?, discipline?,
        category?, attributes?}``; unknown top-level keys are ignored."""
        if isinstance(data, Document):
            return data
        if "id" not in data or data["id"] in (None, ""):
            raise ValueError("a document needs a non-empty 'id'")
        keywords = data.get("keywords") or ()
        if isinstance(keywords, str):
            keywords = tuple(k for k in keywords.replace("；", ";").replace("，", ",")
                             .replace(";", ",").split(",") if k.strip())
        attributes = dict(data.get("attributes") or {})
        for name in CORE_ATTRIBUTES:
            if data.get(name) not in (None, ""):
                attributes.setdefault(name, data[name])
        attributes = {k: v for k, v in attributes.items() if v is not None and v != ""}
        return cls(
            id=str(data["id"]),
            title=data.get("title") or "",
            abstract=data.get("abstract") or "",
            keywords=tuple(str(k).strip() for k in keywords),
            attributes=attributes,
        )

    @property
    def semantic_text(self) -> str:
        """The text a dense encoder sees."""
        return "\n".join(part for part in (self.title, self.abstract) if part)


@dataclass(frozen=True)
class ScoringParams:
    """Global parameters of the scoring function (see ``scoring.py`` for the formula).

    They are few and global on purpose: they were set on one half of the
    development queries and checked on the other half, never per query.
    """

    k1: float = 1.2
    b: float = 0.75
    # field weights of BM25F (abstract = 1): keywords are explicit, so count double
    title_weight: float = 1.0
    keywords_weight: float = 2.0
    # weight of the separate title channel (title-length-normalised BM25)
    title_channel_weight: float = 1.0
    # weight of the share of query chunks matched in full
    coverage_weight: float = 0.1
    # weight of the corpus-learned query -> discipline association
    discipline_affinity_weight: float = 0.15
    # weight of each structured attribute the caller asks to match
    structured_weight: float = 0.2
    # weight of the optional dense (semantic) similarity
    semantic_weight: float = 0.0
    # how many lexical candidates are re-scored with the non-lexical signals
    rerank_depth: int = 1000
    # drop the query's stop words (data/stopwords.txt) before scoring
    drop_stop_words: bool = True

    @property
    def semantic_text(self) -> str:
        """The text a dense encoder sees."""
        return "\n".join(part for part in (self.title, self.abstract) if part)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, stored in the manifest."""
        return asdict(self)
