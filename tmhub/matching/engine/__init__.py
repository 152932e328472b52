"""TM Hub text-matching engine: pure Python, no Django.

Public API::

    from tmhub.matching.engine import MatchIndex, ScoringParams, IndexCorrupt, IndexMissing

    index = MatchIndex.build(docs)                    # docs: dicts {id, title, abstract, ...}
    index.add(doc); index.update(doc); index.remove(doc_id)
    hits = index.search("自适应控制", top_k=10, filters={...}, structured={...})
    for doc_id, score, explanation in hits: ...
    index.save(path); index = MatchIndex.load(path)   # raises IndexCorrupt / IndexMissing
"""

from .documents import Document, ScoringParams
from .index import MatchIndex, SearchHit
from .semantic import UniversalSentenceEncoder
from .storage import IndexCorrupt, IndexMissing, IndexStorageError

__all__ = [
    "Document",
    "IndexCorrupt",
    "IndexMissing",
    "IndexStorageError",
    "MatchIndex",
    "ScoringParams",
    "SearchHit",
    "UniversalSentenceEncoder",
]
