"""Achievements that fit their owner: real records of the CSL corpus (../shared/data/csl),
drawn for each institution from the disciplines of its kind.

An institution's disciplines follow from what its name says it is (a 医科大学 or a hospital
does medicine, a 电影学院 the arts, a 农学院 agriculture, a 邮电大学 information and
communication), by the keyword rules below, and otherwise from its kind: a hospital medicine, a
university the engineering and sciences of a comprehensive one. The rules are per word, never
per institution, so every name in the data files is placed by the same table.

Keywords are words: the record's most characteristic terms (jieba's TF-IDF over its title and
abstract) that jieba's dictionary knows, so a keyword is never a fragment cut from a title.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from tmhub.core.choices import OrgKind

MEDICINE = ("基础医学/临床医学", "药学", "公共卫生与预防医学")
AGRICULTURE = (
    "作物学",
    "园艺学",
    "农业工程",
    "畜牧学/兽医学",
    "植物保护",
    "农业资源利用",
    "食品科学与工程",
    "农林经济管理",
)
ICT = ("计算机科学与技术", "信息与通信工程", "电子科学与技术")
ECONOMICS = ("应用经济学", "理论经济学", "工商管理")
ENGINEERING = (
    "机械工程",
    "材料科学与工程",
    "控制科学与工程",
    "计算机科学与技术",
    "电气工程",
    "土木工程",
    "环境科学与工程",
    "动力工程及工程热物理",
)
SCIENCES = ("数学", "物理学", "化学/化学工程与技术", "生物学/生物科学与工程", "地理学", "力学")

# Name keyword → the CSL disciplines of an institution whose name contains it. Every matching
# keyword adds its disciplines; a more specific one listed first may `replace` the general ones
# (a 中医医院 is a hospital of Chinese medicine, not of every medicine).
KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("中医", ("中医学/中药学",)),
    ("中西医", ("中医学/中药学", "基础医学/临床医学")),
    ("中药", ("中医学/中药学",)),
    ("口腔", ("口腔医学",)),
    ("医", MEDICINE),
    ("卫生", MEDICINE),
    ("妇幼", MEDICINE),
    ("结核", MEDICINE),
    ("急救", ("基础医学/临床医学",)),
    ("儿科", MEDICINE),
    ("农", AGRICULTURE),
    ("林业", ("林学/林业工程", "园艺学", "环境科学与工程")),
    ("电影", ("艺术学",)),
    ("戏剧", ("艺术学",)),
    ("戏曲", ("艺术学",)),
    ("音乐", ("艺术学",)),
    ("美术", ("艺术学",)),
    ("舞蹈", ("艺术学",)),
    ("艺术", ("艺术学",)),
    ("传媒", ("新闻传播学", "艺术学")),
    ("印刷", ("新闻传播学", "材料科学与工程")),
    ("服装", ("纺织科学与工程", "艺术学")),
    ("体育", ("体育学",)),
    ("外国语", ("中国语言文学", "教育学")),
    ("语言", ("中国语言文学", "教育学")),
    ("外交", ("政治学", "法学")),
    ("国际关系", ("政治学", "法学")),
    ("政法", ("法学", "政治学")),
    ("公安", ("法学", "公共管理")),
    ("警察", ("法学", "公共管理")),
    ("财经", ECONOMICS),
    ("经济", ECONOMICS),
    ("经贸", ECONOMICS),
    ("财贸", ECONOMICS),
    ("工商", ECONOMICS),
    ("物资", ("工商管理", "交通运输工程")),
    ("管理", ("工商管理", "公共管理")),
    ("师范", ("教育学", "心理学", "中国语言文学", "数学")),
    ("民族", ("民族学", "历史学", "社会学")),
    ("女子", ("社会学", "教育学")),
    ("劳动", ("社会学", "公共管理", "法学")),
    ("社会", ("社会学", "公共管理")),
    ("政治", ("政治学", "社会学")),
    ("社会科学", ("哲学", "历史学", "理论经济学", "社会学", "法学", "政治学")),
    ("航空", ("航空宇航科学与技术", "力学", "控制科学与工程")),
    ("空天", ("航空宇航科学与技术", "测绘科学与技术", "信息与通信工程")),
    ("邮电", ICT),
    ("信息", ICT),
    ("网络", ICT),
    ("软件", ICT),
    ("计算", ICT),
    ("电子", ("电子科学与技术", "信息与通信工程")),
    ("微电子", ("电子科学与技术",)),
    ("半导体", ("电子科学与技术", "光学工程")),
    ("电力", ("电气工程", "动力工程及工程热物理")),
    ("电工", ("电气工程",)),
    ("交通", ("交通运输工程", "土木工程")),
    ("化工", ("化学/化学工程与技术", "材料科学与工程")),
    ("化学", ("化学/化学工程与技术",)),
    ("石油", ("石油与天然气工程", "化学/化学工程与技术")),
    ("矿业", ("矿业工程", "地质学/地质资源与地质工程")),
    ("地质", ("地质学/地质资源与地质工程", "地球物理学")),
    ("建筑", ("建筑学", "土木工程")),
    ("钢", ("冶金工程", "机械工程")),
    ("理工", ENGINEERING),
    ("工业", ENGINEERING),
    ("科技", ENGINEERING),
    ("过程工程", ("化学/化学工程与技术",)),
    ("力学", ("力学",)),
    ("高能物理", ("核科学与技术", "物理学")),
    ("物理", ("物理学",)),
    ("自动化", ("控制科学与工程",)),
    ("天文", ("天文学",)),
    ("大气", ("大气科学",)),
    ("数学", ("数学",)),
    ("遗传", ("生物学/生物科学与工程", "作物学")),
    ("生物", ("生物学/生物科学与工程",)),
    ("植物", ("生物学/生物科学与工程", "园艺学")),
    ("动物", ("生物学/生物科学与工程",)),
    ("地理", ("地理学",)),
    ("战略咨询", ("公共管理", "应用经济学")),
]
# Keywords that, when present, stand for the whole institution (a 中医医院 is not a general one).
REPLACING = {"中医", "中西医", "口腔", "社会科学", "战略咨询"}
# The kind's disciplines when the name says nothing more (北京大学, 北京协和医院, 测试大学).
BY_KIND = {
    OrgKind.UNIVERSITY: ENGINEERING + SCIENCES + MEDICINE[:1] + ECONOMICS[:1],
    OrgKind.MEDICAL: MEDICINE,
    OrgKind.RESEARCH_INSTITUTE: SCIENCES + ENGINEERING[:3],
    OrgKind.NEW_RD_INSTITUTION: ENGINEERING,
}

# CSL discipline → the industry field an achievement of it serves (none for the humanities).
FIELD_OF = {
    "计算机科学与技术": "AI",
    "控制科学与工程": "EQUIP",
    "机械工程": "EQUIP",
    "信息与通信工程": "NGIT",
    "测绘科学与技术": "NGIT",
    "电子科学与技术": "IC",
    "光学工程": "IC",
    "材料科学与工程": "MAT",
    "化学/化学工程与技术": "MAT",
    "纺织科学与工程": "MAT",
    "冶金工程": "MAT",
    "环境科学与工程": "GREEN",
    "动力工程及工程热物理": "GREEN",
    "电气工程": "GREEN",
    "石油与天然气工程": "GREEN",
    "航空宇航科学与技术": "SPACE",
    "交通运输工程": "CITY",
    "土木工程": "CITY",
    "建筑学": "CITY",
    "新闻传播学": "CONTENT",
    "艺术学": "CONTENT",
    "生物学/生物科学与工程": "BIOMFG",
    "基础医学/临床医学": "MED",
    "药学": "MED",
    "中医学/中药学": "MED",
    "口腔医学": "MED",
    "公共卫生与预防医学": "MED",
}
FIELD_OF.update(
    {d: "AGRI" for d in (*AGRICULTURE, "林学/林业工程", "水产") if d != "食品科学与工程"}
)
FIELD_OF["食品科学与工程"] = "BIOMFG"

# Words too general to tell one record from another (TF-IDF still ranks some of them high).
GENERAL_WORDS = frozenset(
    "研究 方法 分析 问题 应用 设计 影响 进行 采用 结果 表明 提出 基于 技术 系统 模型 实验 通过 "
    "利用 发展 建立 作用 方面 探讨 本文 以及 对于 不同 主要 相关 具有 我国 中国 一种 条件 "
    "因素 提高 实现 过程 特点 情况 效果 水平 现状 对策 意义 机制 数据 理论 实践 方式 能力 "
    "作者 文章 论文 认为 指出 关系 分别 显著 较好 可以 能够 需要 以上 目的 最后 新型 浅析 "
    "浅谈 试论 初探 探索 探究 综述 进展 现代 时间 新的 若干 一些 我们 研制 开发 构建 "
    "方案 优化 合作 创新 性能 选型 工具 提升 注册 其它 其他 作为 之后 世纪 地区 自然 表达 "
    "理念 内涵 解析 考察 精确 变量 网络 语言 行为 情感".split()
)


# 数千台, 上百家: amounts, not subjects.
COUNTED = re.compile(r"^[数几上近]?[十百千万亿]")


@dataclass(frozen=True)
class Record:
    """One CSL record: a real abstract of Chinese scientific literature, used as an achievement."""

    id: str
    title: str
    abstract: str
    discipline: str
    category: str


@cache
def corpus() -> tuple[Record, ...]:
    """The records with a title and a discipline (none when the shared data is absent)."""
    path = settings.SHARED_DATA_DIR / "csl" / "corpus.jsonl"
    if not path.exists():
        return ()
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if row and row.get("title") and row.get("discipline") and len(row["title"]) <= 60:
            records.append(
                Record(
                    row["id"],
                    row["title"].strip(),
                    row["abstract"].strip(),
                    row["discipline"],
                    row.get("category") or "",
                )
            )
    return tuple(records)


@cache
def by_discipline() -> dict[str, tuple[Record, ...]]:
    grouped = defaultdict(list)
    for record in corpus():
        grouped[record.discipline].append(record)
    return {k: tuple(v) for k, v in grouped.items()}


@cache
def category_of() -> dict[str, str]:
    """CSL discipline → its category (学科门类), the one its records name most often."""
    counts = defaultdict(Counter)
    for record in corpus():
        if record.category:
            counts[record.discipline][record.category] += 1
    return {d: c.most_common(1)[0][0] for d, c in counts.items()}


def disciplines_for(name: str, kind: str) -> tuple[str, ...]:
    """The CSL disciplines an institution of this name and kind works in (see the module)."""
    found: list[str] = []
    for keyword, disciplines in KEYWORDS:
        if keyword in name:
            if keyword in REPLACING:
                return disciplines
            found += [d for d in disciplines if d not in found]
    return tuple(found) or BY_KIND.get(kind, ())


def draw(name: str, kind: str, count: int, used: set[str], *, technology=False) -> list[Record]:
    """`count` records for the institution, spread over its disciplines, none drawn before
    (`used` holds the ids already given to someone; the drawn ones are added). With
    `technology`, only disciplines that serve an industry field (no law or history papers
    offered as technology for transfer)."""
    disciplines = [
        d
        for d in disciplines_for(name, kind)
        if by_discipline().get(d) and (d in FIELD_OF or not technology)
    ]
    rng = random.Random(name)
    chosen: list[Record] = []
    for n in range(count * 4):
        if len(chosen) == count or not disciplines:
            break
        pool = [r for r in by_discipline()[disciplines[n % len(disciplines)]] if r.id not in used]
        if pool:
            record = rng.choice(pool)
            used.add(record.id)
            chosen.append(record)
    return chosen


def keywords(title: str, body: str = "", limit: int = 4) -> list[str]:
    """The most characteristic dictionary words of the title, then of the whole text."""
    import jieba.analyse

    from tmhub.core.chinese_text import tokenizer

    known, text = tokenizer().FREQ, f"{title}。{body}"
    candidates = jieba.analyse.extract_tags(title, topK=limit * 2) + (
        jieba.analyse.extract_tags(text, topK=limit * 4) if body else []
    )
    words: list[str] = []
    for word in candidates:
        if (
            len(word) >= 2
            and known.get(word)
            and word not in GENERAL_WORDS
            and not word.isascii()
            and word in text
            and word not in words
            and not COUNTED.match(word)
        ):
            words.append(word)
    return words[:limit]
