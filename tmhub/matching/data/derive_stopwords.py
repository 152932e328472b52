"""Derive the matching stop list (``stopwords.txt`` beside this file) from corpus statistics.

    .venv/bin/python tmhub/matching/data/derive_stopwords.py [--data ../shared/data] > \
        tmhub/matching/data/stopwords.txt

A word (jieba's precise mode, two characters or more, not Latin) carries no meaning for
matching when it says nothing about what a record is about. Three kinds of evidence, each
a document frequency over real public text in the shared data folder:

1. **Scientific writing** (CSL records, ``csl/corpus.jsonl``): the word occurs in at least
   ``GENERIC_DF`` of the records and its spread over the 67 disciplines is close to the
   corpus's own (Kullback-Leibler divergence of P(discipline | word) from P(discipline) at
   most ``GENERIC_KL`` nats) - 研究, 方法, 基于, 系统, 技术 occur everywhere alike; or it
   occurs in more than ``COMMON_DF`` of all records whatever its spread.
2. **Technology-transfer writing** (the work plan 京科发〔2022〕14号, one sentence = one
   document, the covering notice and the departments named in parentheses left out): the
   word occurs in at least ``PLAN_SENTENCES`` sentences and, where CSL knows it
   (``MIN_EVIDENCE`` records), it is not a field's word there either (divergence at most
   ``PLAN_KL``) - 转化, 项目, 科技, 推动.
3. **Names of Beijing institutions** (universities, hospitals, institutes): the word occurs
   in at least ``NAME_SHARE`` of the names - 北京 (a demand and an achievement that both
   say 北京 share a city, not a topic).

The output is sorted, one word a line, after a header that records this command and the
thresholds, so a change of the data or the thresholds shows as a diff of the list.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, ROOT)

from tmhub.core import chinese_text  # noqa: E402

GENERIC_DF = 0.01
GENERIC_KL = 0.45
COMMON_DF = 0.10
PLAN_SENTENCES = 3
PLAN_KL = 0.8
MIN_EVIDENCE = 20
NAME_SHARE = 0.25
NAME_FILES = (
    "beijing_universities.json",
    "beijing_hospitals.json",
    "beijing_research_institutes.json",
)


def words(text: str) -> set[str]:
    """The distinct candidate words of a text."""
    return {
        w
        for w in chinese_text.segment(text)
        if len(w) >= 2 and not w.isascii() and all(ch.isalnum() for ch in w)
    }


def csl_statistics(path: str) -> tuple[int, collections.Counter, dict]:
    """(records, document frequency, {word: divergence of its disciplines from the corpus})."""
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    prior = collections.Counter(r["discipline"] for r in records)
    df: collections.Counter = collections.Counter()
    by_discipline: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for record in records:
        for word in words(f"{record.get('title') or ''}。{record['abstract']}"):
            df[word] += 1
            by_discipline[word][record["discipline"]] += 1
    total = len(records)
    divergence = {
        word: sum(
            (c / df[word]) * math.log((c / df[word]) / (prior[d] / total))
            for d, c in counts.items()
        )
        for word, counts in by_discipline.items()
    }
    return total, df, divergence


def plan_sentences(path: str) -> list[str]:
    """The plan's sentences: its body (from its own title on, without the covering notice
    and its list of issuing departments) and without the parenthesised lists of responsible
    departments, so the departments' names (市卫生健康委…) do not count as the plan's words."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    title = "\n关于推动北京市技术经理人队伍建设工作方案"
    text = text[text.rindex(title) :] if title in text else text
    text = re.sub(r"[(（][^()（）]*[)）]", "", text)
    return [s for s in re.split(r"[。；;\n]+", text) if len(s.strip()) > 8]


def institution_names(folder: str) -> list[str]:
    names = []
    for name in NAME_FILES:
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            names += [row["name"] for row in json.load(handle)]
    return names


def derive(folder: str) -> dict[str, str]:
    """{stop word: the evidence that made it one}."""
    total, df, divergence = csl_statistics(os.path.join(folder, "csl", "corpus.jsonl"))
    found: dict[str, str] = {}
    for word, count in df.items():
        share = count / total
        if share > COMMON_DF or (share >= GENERIC_DF and divergence[word] <= GENERIC_KL):
            found[word] = f"csl df={share:.3f} kl={divergence[word]:.2f}"
    plan_df: collections.Counter = collections.Counter()
    for sentence in plan_sentences(os.path.join(folder, "jingkefa-2022-14.txt")):
        plan_df.update(words(sentence))
    for word, count in plan_df.items():
        known = df[word] >= MIN_EVIDENCE
        if count >= PLAN_SENTENCES and known and divergence[word] <= PLAN_KL:
            found.setdefault(word, f"plan sentences={count} csl kl={divergence[word]:.2f}")
    names = institution_names(folder)
    name_df: collections.Counter = collections.Counter()
    for name in names:
        name_df.update(words(name))
    for word, count in name_df.items():
        if count / len(names) >= NAME_SHARE:
            found.setdefault(word, f"institution names share={count / len(names):.2f}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    parser.add_argument("--why", action="store_true", help="print the evidence of each word")
    args = parser.parse_args()
    found = derive(args.data)
    print("# Matching stop list: words that carry no meaning for matching in this domain.")
    print("# Derived by tmhub/matching/data/derive_stopwords.py (read its docstring):")
    print(
        "#   .venv/bin/python tmhub/matching/data/derive_stopwords.py "
        "> tmhub/matching/data/stopwords.txt"
    )
    print(
        f"# thresholds: csl df>={GENERIC_DF} and kl<={GENERIC_KL}, or df>{COMMON_DF}; "
        f"plan sentences>={PLAN_SENTENCES} and csl kl<={PLAN_KL} (csl df>={MIN_EVIDENCE}); "
        f"institution names share>={NAME_SHARE}"
    )
    print(
        "# Data: CSL corpus (Apache-2.0), 京科发〔2022〕14号, Beijing institution lists "
        "(see ../shared/data/README.md). Do not edit by hand: change the script and re-run."
    )
    for word in sorted(found):
        print(f"{word}\t# {found[word]}" if args.why else word)


if __name__ == "__main__":
    main()
