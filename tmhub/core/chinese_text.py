"""Chinese word segmentation for the whole platform: jieba, loaded once per process.

jieba's dictionary takes about a second and some 100 MB to load, so every caller (the
directory search of ``talent``, the query side of the matching engine, later the city
dashboard's text figures) shares jieba's one default tokenizer, initialised here the first
time any of them needs it:

    from tmhub.core import chinese_text

    chinese_text.segment("人工智能成果转化")      # precise mode: 人工智能 / 成果 / 转化
    chinese_text.segment_for_search("人工智能")  # plus the words inside: 人工 / 智能 / …
    chinese_text.tokenizer()                     # the initialised jieba.Tokenizer itself

A user dictionary (one ``word [frequency [part-of-speech]]`` per line, jieba's format) is
loaded on top of the standard one when the setting ``JIEBA_USER_DICT`` names a file; domain
words such as 技术经理人 or 概念验证 then stay whole. Nothing here needs Django to be set up:
the matching engine, which is plain Python, uses this module too, and without configured
settings there is simply no user dictionary.

``pinyin_key`` is the sort key of a Chinese name (pypinyin): lists ordered by name follow the
pinyin of their names as a Chinese reader expects (阿 白 陈 张), not the code points of the
characters (which put 张 before 陈 and 阿 after both).
"""

from __future__ import annotations

import logging
import threading
import unicodedata

_lock = threading.Lock()
_tokenizer = None


def user_dictionary() -> str | None:
    """The path of the user dictionary to load, if the project configures one."""
    from django.conf import settings

    if not settings.configured:
        return None
    return getattr(settings, "JIEBA_USER_DICT", None) or None


def tokenizer():
    """jieba's default tokenizer, initialised (dictionary and user dictionary) exactly once."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
            jieba.dt.initialize()
            path = user_dictionary()
            if path:
                jieba.dt.load_userdict(str(path))
            _tokenizer = jieba.dt
    return _tokenizer


def segment(text: str | None) -> list[str]:
    """The words of ``text`` in jieba's precise mode (spaces and punctuation included, as
    jieba returns them; callers keep the tokens they want)."""
    if not text:
        return []
    return tokenizer().lcut(text)


def segment_for_search(text: str | None) -> list[str]:
    """jieba's search mode: precise words plus the shorter words inside long ones, which is
    what an index stores so that 人工 and 智能 both find 人工智能."""
    if not text:
        return []
    return tokenizer().lcut_for_search(text)


def initialise() -> None:
    """Load the dictionaries now (process start, a worker's warm-up) rather than on the first
    query."""
    tokenizer()


# Surnames whose reading differs from the character's most common one (曾 is zēng as a
# surname, not céng; 单 shàn, not dān): applied to the first characters of a person's name.
SURNAME_READINGS = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "朴": "piao2", "区": "ou1",
    "查": "zha1", "覃": "qin2", "盖": "ge3", "乐": "yue4", "缪": "miao4", "召": "shao4",
    "种": "chong2", "秘": "bi4", "员": "yun4", "黑": "he4", "繁": "po2", "翟": "zhai2",
    "尉迟": "yu4 chi2", "万俟": "mo4 qi2", "长孙": "zhang3 sun1",
}
PINYIN_KEY_LENGTH = 255


def pinyin_key(text: str | None, *, person: bool = False) -> str:
    """The sort key of ``text``: its pinyin syllables with tone numbers (``chen2 jing4``),
    lower-case, other characters kept as they are, cut to PINYIN_KEY_LENGTH.

    Tone numbers after each syllable order 妈 麻 马 骂 like a dictionary (ma1 ma2 ma3 ma4),
    and a digit sorts before a letter, so 陈 (chen2) comes before 程 (cheng2). With
    ``person`` the surname is read as a surname (SURNAME_READINGS)."""
    from pypinyin import Style, lazy_pinyin

    text = unicodedata.normalize("NFKC", text or "").strip()
    head = ""
    if person:
        for length in (2, 1):
            reading = SURNAME_READINGS.get(text[:length])
            if len(text) > length and reading:
                head, text = reading + " ", text[length:]
                break
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    key = head + " ".join(part.strip() for part in syllables if part.strip())
    return key.lower()[:PINYIN_KEY_LENGTH]
