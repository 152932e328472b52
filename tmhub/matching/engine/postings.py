"""Inversion: from term occurrences to sorted posting lists, with plain sorts.

Input: for every occurrence of a term in a batch, its int64 key (see
``text.py``), the document it occurs in, and a field code 0-3 (title,
abstract, keywords, title channel).  Output: the sorted vocabulary, posting
offsets, and per posting the document and the field-weighted term frequency.

Everything is done with one in-place ``np.sort`` of int64 values into which
(term, document, field) are packed - numpy's SIMD sort is several times
faster than ``argsort``/``unique``/``searchsorted`` on tens of millions of
occurrences, and that sort is most of the cost of indexing.  Packing needs
the term as a small number: when every character is in the Basic
Multilingual Plane (virtually all text) a bigram key is re-encoded on 32 bits
and a Latin-word key by its rank; otherwise the vocabulary is looked up with
``searchsorted`` (slower, same result).
"""

from __future__ import annotations

import numpy as np

from .text import TITLE_KEY_FLAG, WORD_KEY_FLAG

_BIGRAM_SHIFT = 21
_LOW21 = (1 << _BIGRAM_SHIFT) - 1
_TITLE = int(TITLE_KEY_FLAG)
_WORD = int(WORD_KEY_FLAG)
# compact term codes, in the same order as the full keys they stand for
_TITLE_BIGRAMS = 1 << 32
_WORDS = 1 << 33
_TITLE_WORDS = _WORDS + (1 << 31)


def invert(keys: np.ndarray, owner: np.ndarray, field_code: np.ndarray, n_docs: int,
           field_weights: np.ndarray):
    """Return ``(terms, offsets, post_docs, tf, in_title)``; ``in_title`` marks
    postings of the title channel.  Consumes (overwrites) nothing it is given."""
    doc_bits = max(1, (max(n_docs, 1) - 1).bit_length())
    compact = _compact_codes(keys)
    if compact is None:
        return _invert_generic(keys, owner, field_code, n_docs, field_weights)
    codes, word_keys = compact
    packed = codes
    packed <<= doc_bits
    packed |= owner
    packed <<= 2
    packed |= field_code
    packed.sort()
    tf, pair = _sum_pairs(packed, field_weights)
    term_code = pair >> doc_bits
    post_docs = pair & ((1 << doc_bits) - 1)
    del pair
    term_starts = np.flatnonzero(np.concatenate(([len(term_code) > 0],
                                                 term_code[1:] != term_code[:-1])))
    terms = _expand_codes(term_code[term_starts], word_keys)
    offsets = np.append(term_starts, len(term_code)).astype(np.int64)
    in_title = ((term_code >= _TITLE_BIGRAMS) & (term_code < _WORDS)) | (
        term_code >= _TITLE_WORDS)
    return terms, offsets, post_docs, tf, in_title


def _sum_pairs(packed: np.ndarray, field_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Field-weighted frequency of each distinct (term, doc) of sorted packed values."""
    pair = packed >> 2
    if not len(pair):
        return np.empty(0, np.float32), pair
    starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
    tf = np.add.reduceat(field_weights[packed & 3], starts)
    return tf, pair[starts]


def _compact_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Order-preserving codes below 2**34 for ``keys``, or None (non-BMP characters)."""
    is_word = (keys & _WORD) != 0
    base = keys & ~(_WORD | _TITLE)
    word_positions = np.flatnonzero(is_word)
    word_bases = base[word_positions]
    word_keys = np.unique(word_bases)
    codes = base >> _BIGRAM_SHIFT  # first character
    base &= _LOW21  # second character
    codes[word_positions] = 0
    base[word_positions] = 0
    if codes.max(initial=0) >= 1 << 16 or base.max(initial=0) >= 1 << 16:
        return None
    codes <<= 16
    codes |= base
    del base
    is_title = (keys & _TITLE) != 0
    codes[is_title & ~is_word] += _TITLE_BIGRAMS
    if len(word_positions):
        rank = np.searchsorted(word_keys, word_bases)
        codes[word_positions] = np.where(is_title[word_positions], _TITLE_WORDS, _WORDS) + rank
    return codes, word_keys


def _expand_codes(codes: np.ndarray, word_keys: np.ndarray) -> np.ndarray:
    """Full int64 keys of compact codes (inverse of :func:`_compact_codes`)."""
    keys = np.empty(len(codes), np.int64)
    bigram = codes < _WORDS
    local = codes[bigram] & 0xFFFFFFFF
    keys[bigram] = ((local >> 16) << _BIGRAM_SHIFT) | (local & 0xFFFF)
    keys[bigram & (codes >= _TITLE_BIGRAMS)] |= _TITLE
    words = ~bigram
    if words.any():
        title_word = codes[words] >= _TITLE_WORDS
        rank = codes[words] - np.where(title_word, _TITLE_WORDS, _WORDS)
        keys[words] = (word_keys[rank] | _WORD) | np.where(title_word, _TITLE, 0)
    return keys


def _invert_generic(keys, owner, field_code, n_docs, field_weights):
    """Same result through an explicit vocabulary lookup (any code point)."""
    sorted_keys = np.sort(keys)
    terms = sorted_keys[np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))]
    del sorted_keys
    packed = np.searchsorted(terms, keys).astype(np.int64)
    packed *= max(n_docs, 1)
    packed += owner
    packed <<= 2
    packed |= field_code
    packed.sort()
    tf, pairs = _sum_pairs(packed, field_weights)
    pair_term = pairs // max(n_docs, 1)
    post_docs = pairs % max(n_docs, 1)
    offsets = np.concatenate(([0], np.cumsum(np.bincount(pair_term, minlength=len(terms)))))
    in_title = (terms[pair_term] & TITLE_KEY_FLAG) != 0
    return terms, offsets.astype(np.int64), post_docs, tf, in_title
