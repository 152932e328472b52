"""jieba is loaded once per process, for every caller, with the project's user dictionary.

(tmhub.core.chinese_text is core's; its tests live here because matching is its first user.)
"""

import subprocess
import sys
import textwrap

from tmhub.core import chinese_text
from tmhub.matching.engine import text


def test_one_tokenizer_for_the_whole_process():
    import jieba

    first = chinese_text.tokenizer()
    assert chinese_text.tokenizer() is first is jieba.dt
    assert first.initialized
    # the matching engine's query words come from the same tokenizer
    assert text.query_words("人工智能成果转化") == chinese_text.segment("人工智能成果转化")


def test_search_mode_adds_the_words_inside_long_words():
    words = chinese_text.segment_for_search("人工智能")
    assert {"人工", "智能", "人工智能"} <= set(words)
    assert chinese_text.segment("") == [] and chinese_text.segment_for_search(None) == []


def test_the_user_dictionary_keeps_domain_words_whole(tmp_path):
    """A fresh process (the tokenizer is initialised once per process) with JIEBA_USER_DICT."""
    dictionary = tmp_path / "words.txt"
    dictionary.write_text("概念验证中心 2000 n\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        from django.conf import settings
        settings.configure(JIEBA_USER_DICT={str(dictionary)!r})
        from tmhub.core import chinese_text
        print("|".join(chinese_text.segment("建设概念验证中心")))
    """)
    without = "|".join(chinese_text.segment("建设概念验证中心"))
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "概念验证中心" in result.stdout.strip().split("|")
    assert "概念验证中心" not in without.split("|")
