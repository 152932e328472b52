"""Text normalisation and tokenisation shared by indexing and querying.

The index stores two kinds of terms, each encoded as an ``int64`` key so that
vocabularies are plain sorted numpy arrays (mmap-friendly, no Python dicts):

* **character bigrams** of every run of word characters (CJK ideographs,
  letters, digits).  Key = ``(first_codepoint << 21) | second_codepoint``, so
  all bigrams that start with one character form a contiguous key range; a
  one-character query is answered from that range without a unigram index.
  Bigrams are computed vectorised over a whole batch of documents, which is
  what makes a build of thousands of records per second possible in Python.
* **whole Latin words** (``[a-z0-9]`` runs, e.g. ``logistic``, ``ct``), hashed
  into a separate key space (bit 62 set) for precise English matching.

jieba is used on the *query* side (through ``tmhub.core.chinese_text``, which loads it once per
process for the whole platform): it splits a Chinese query into words, whose bigrams must all
be present for the word to count as matched.  That gives
word-level coverage and readable explanations without paying jieba's cost on
every indexed record.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tmhub.core import chinese_text

WORD_KEY_FLAG = np.int64(1 << 62)
# set on a key to address the separate title channel (see segment.py)
TITLE_KEY_FLAG = np.int64(1 << 61)
_WORD_HASH_MASK = (1 << 60) - 1
_BIGRAM_SHIFT = 21
_WORD_RE = re.compile(r"[a-z0-9]+")
# the same on raw text: ASCII and full-width letters and digits, any case
_RAW_WORD_RE = re.compile(r"[A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
# Latin words shorter than this are too ambiguous to index as whole words
# (they still match through their character bigrams).
_MIN_WORD_LEN = 2


@lru_cache(maxsize=1)
def _char_map() -> np.ndarray:
    """Per-character normalisation over the Basic Multilingual Plane.

    ``map[cp]`` is the code point of NFKC + lower-case of ``chr(cp)`` when that
    is one character (full-width letters and digits, upper case, compatibility
    ideographs), else ``cp``.  Applied to whole batches as one numpy lookup,
    it replaces per-string ``unicodedata.normalize``, which was the slowest
    step of indexing.
    """
    table = np.arange(0x10000, dtype=np.int64)
    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:  # surrogates
            continue
        mapped = unicodedata.normalize("NFKC", chr(cp)).lower()
        if len(mapped) == 1:
            table[cp] = ord(mapped)
    return table


@lru_cache(maxsize=1)
def _translation() -> dict[int, int]:
    """The same mapping as :func:`_char_map`, for ``str.translate`` (only the changes)."""
    table = _char_map()
    changed = np.flatnonzero(table != np.arange(len(table)))
    return {int(cp): int(table[cp]) for cp in changed}


def normalize(text: str | None) -> str:
    """Per-character NFKC and lower case (full-width to half-width, ``A`` to ``a``).

    Used on queries and on the Latin words of documents; document bigrams get
    the identical mapping vectorised in :func:`bigram_keys_batch`.
    """
    if not text:
        return ""
    return text.translate(_translation())


@lru_cache(maxsize=1)
def _word_char_table() -> np.ndarray:
    """Boolean table over the Basic Multilingual Plane: is the code point a word character."""
    return np.array([chr(cp).isalnum() for cp in range(0x10000)], dtype=bool)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def bigram_keys_batch(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Bigram keys of many texts at once (normalised here, see :func:`normalize`).

    Returns ``(keys, owner)`` where ``owner[i]`` is the index in ``texts`` of
    the text that produced ``keys[i]``.  Texts are joined with a separator that
    is not a word character, so no bigram spans two texts.
    """
    if not texts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    joined = "\x00".join(texts)
    cps = _codepoints(joined)
    table = _word_char_table()
    is_word = np.ones(len(cps), dtype=bool)  # astral planes: CJK extensions and the like
    bmp = cps < 0x10000
    if bmp.all():
        cps = _char_map()[cps]
        is_word = table[cps]
    else:
        cps[bmp] = _char_map()[cps[bmp]]
        is_word[bmp] = table[cps[bmp]]
    pair_ok = is_word[:-1] & is_word[1:]
    starts = np.flatnonzero(pair_ok)
    keys = (cps[starts] << _BIGRAM_SHIFT) | cps[starts + 1]
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    owner = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[: len(cps)][starts]
    return keys, owner


def bigram_keys(text: str) -> np.ndarray:
    """Bigram keys of one normalised text (in order, duplicates kept)."""
    return bigram_keys_batch([text])[0]


def single_char_key_range(char: str) -> tuple[int, int]:
    """Half-open key range of all bigrams whose first character is ``char``."""
    low = ord(char) << _BIGRAM_SHIFT
    return low, low + (1 << _BIGRAM_SHIFT)


@lru_cache(maxsize=200_000)
def word_key(word: str) -> int:
    """Stable 62-bit hash key of a Latin word (Python's ``hash`` is salted per process)."""
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return int(WORD_KEY_FLAG) | (int.from_bytes(digest, "little") & _WORD_HASH_MASK)


def latin_words(text: str) -> list[str]:
    """Latin/digit words of a normalised text worth indexing as whole words."""
    return [w for w in _WORD_RE.findall(text) if len(w) >= _MIN_WORD_LEN and not w.isdigit()]


def raw_latin_words(text: str) -> list[str]:
    """:func:`latin_words` of ``normalize(text)``, without normalising all of ``text``."""
    words = []
    for raw in _RAW_WORD_RE.findall(text):
        if len(raw) >= _MIN_WORD_LEN and not raw.isdigit():  # isdigit covers full-width too
            words.append(raw.lower() if raw.isascii() else normalize(raw))
    return words


_CHUNK_SPLIT_RE = re.compile(r"[^\w]+")


def query_chunks(text: str) -> list[str]:
    """Parts of a normalised query separated by spaces or punctuation.

    A chunk ("病虫害防治", "logistic模型") is the unit of coverage: a document
    covers it when it contains all of the chunk's terms.
    """
    chunks = []
    for chunk in _CHUNK_SPLIT_RE.split(text):
        if chunk and chunk not in chunks:
            chunks.append(chunk)
    return chunks


# the stop list is data, derived from corpus statistics by the script beside it
STOP_WORDS_PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                               "data", "stopwords.txt")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Words that carry no meaning for matching in this domain (``data/stopwords.txt``)."""
    with open(STOP_WORDS_PATH, encoding="utf-8") as handle:
        return frozenset(normalize(line.split("#", 1)[0].strip()) for line in handle
                         if line.split("#", 1)[0].strip())


_RUN_RE = re.compile(r"\w+")
# a run of the query of this many words or fewer is one term (运动分析, 大数据, logistic模型):
# a stop word there is the head of the term, not filler between words
SHORT_TERM_WORDS = 3


@dataclass
class StopWordMask:
    """Which characters of a normalised query belong to stop words that are dropped.

    ``mask[i]`` is True for a character of a dropped stop word; ``dropped`` are those words.
    A bigram is dropped when both of its characters are masked, so 技术 alone scores
    nothing, while the bigram 测技 of 检测技术 (one character of a real word) still ties the
    phrase together. Two exceptions keep a stop word: a short run of the query (between
    spaces and punctuation; ``SHORT_TERM_WORDS`` words or fewer) with a word of meaning is one
    term whose head the stop word is (运动分析, 大数据), and a query made of stop words only
    is taken as it is (whoever searches just 模型 or 优化设计 means it); a run of stop words
    inside a longer query (北京科技项目：石墨烯导热膜) is dropped."""

    mask: np.ndarray
    dropped: frozenset[str]


def stop_word_mask(text: str) -> StopWordMask:
    """The :class:`StopWordMask` of a normalised query (jieba words of ``stop_words()``)."""
    stop = stop_words()
    mask = np.zeros(len(text), bool)
    spans: list[tuple[int, int, str]] = []
    tokens: list[tuple[int, int]] = []
    position = 0
    for word in chinese_text.segment(text):
        found = text.find(word, position)  # jieba returns the text whole, in order
        if found < 0:
            continue
        position = found + len(word)
        if any(ch.isalnum() for ch in word):
            tokens.append((found, position))
        if word in stop:
            mask[found:position] = True
            spans.append((found, position, word))
    for run in _RUN_RE.finditer(text):
        start, end = run.span()
        words = sum(1 for a, b in tokens if a >= start and b <= end)
        if 2 <= words <= SHORT_TERM_WORDS and not mask[start:end].all():
            mask[start:end] = False
    word_chars = np.array([ch.isalnum() for ch in text], bool)
    if not (word_chars & ~mask).any():
        mask[:] = False
    dropped = {word for start, end, word in spans if mask[start:end].all()}
    kept = {word for start, end, word in spans if not mask[start:end].all()}
    return StopWordMask(mask, frozenset(dropped - kept))


def bigram_keys_kept(text: str, stops: StopWordMask | None,
                     start: int = 0, end: int | None = None) -> np.ndarray:
    """Bigram keys of ``text[start:end]`` (normalised), without those inside stop words."""
    piece = text[start:end]
    if not piece:
        return np.empty(0, np.int64)
    cps = _codepoints(piece)
    is_word = np.ones(len(cps), dtype=bool)
    bmp = cps < 0x10000
    is_word[bmp] = _word_char_table()[cps[bmp]]
    starts = np.flatnonzero(is_word[:-1] & is_word[1:])
    if stops is not None:
        masked = stops.mask[start:start + len(piece)]
        starts = starts[~(masked[starts] & masked[starts + 1])]
    return (cps[starts] << _BIGRAM_SHIFT) | cps[starts + 1]


def query_runs(text: str) -> list[tuple[int, int]]:
    """Spans of the runs of word characters of a query (the units of coverage)."""
    return [run.span() for run in _RUN_RE.finditer(text)]


def warm_up() -> None:
    """Load jieba's dictionary now rather than on the first query (about 0.5 s)."""
    chinese_text.initialise()


def query_words(text: str) -> list[str]:
    """Split a normalised query into words: jieba for Chinese, regex for Latin.

    Words are what an explanation lists as matched; one-character Chinese
    words are dropped unless the whole query is one character.
    """
    text = text.strip()
    if not text:
        return []
    words: list[str] = []
    for word in chinese_text.segment(text):
        word = word.strip()
        if not word or not any(ch.isalnum() for ch in word):
            continue
        if len(word) == 1 and not word.isascii() and len(text) > 1:
            continue
        if word not in words:
            words.append(word)
    return words
