"""Matches without noise: stop words, a minimum relevance, reasons as a sentence, levels,
providers found by the services they offer, and a demo-built demand -> achievement set."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.core.models import IndustryField
from tmhub.matching import services
from tmhub.matching.engine import MatchIndex, ScoringParams
from tmhub.matching.engine.text import stop_words
from tmhub.orgs.services import create_organization
from tmhub.transfer import services as transfer

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def _demand(personas, committed, **values):
    demand = committed(
        transfer.create_demand, actor=personas.enterprise, organization=personas.company, **values
    )
    return committed(transfer.publish_demand, demand, actor=personas.enterprise)


# ------------------------------------------------------------------ stop words
def test_the_stop_list_is_data_with_the_domain_words():
    words = stop_words()
    # the examples come out of the corpus statistics
    assert {"技术", "基于", "系统", "北京", "科技", "转化", "项目", "完成"} <= words
    # and field words do not
    assert not {"机器", "视觉", "缺陷", "检测", "专利", "审计", "法律", "芯片"} & words


@pytest.mark.parametrize("drop", [True, False])
def test_stop_words_are_neither_scored_nor_listed(drop):
    # given a record about the query's subject and one sharing only its stop words
    docs = [
        {"id": "vision", "title": "小样本机器视觉缺陷检测算法", "abstract": "产线外观缺陷。"},
        {
            "id": "noise",
            "title": "基于北京科技项目的技术转化系统",
            "abstract": "该项目已完成关键技术验证。",
        },
    ]
    index = MatchIndex.build(docs, ScoringParams(drop_stop_words=drop))
    # when a demand-like text asks with stop words around its words
    hits = index.search("基于机器视觉的缺陷检测技术，北京科技转化项目", top_k=10)
    ids = [h.id for h in hits]
    if not drop:  # the engine without the stop list: the noise record is a "match"
        assert "noise" in ids
        return
    # then the record sharing only stop words is no match, and no stop word is a reason
    assert ids == ["vision"]
    assert not set(hits[0].explanation["matched_terms"]) & stop_words()
    assert {"缺陷", "检测"} <= set(hits[0].explanation["matched_terms"])


def test_a_short_term_keeps_its_head_word_and_a_lone_stop_word_query_is_taken_as_is():
    docs = [
        {"id": "bigdata", "title": "大数据平台的隐私保护"},
        {"id": "model", "title": "一种新的模型"},
        {"id": "other", "title": "钢筋混凝土梁的裂缝"},
    ]
    index = MatchIndex.build(docs)
    assert [h.id for h in index.search("大数据", top_k=5)][:1] == ["bigdata"]
    assert [h.id for h in index.search("模型", top_k=5)] == ["model"]


# ------------------------------------------------------ minimum relevance, levels
def test_no_good_match_lists_nothing_and_says_so(personas, publish, committed, client):
    # given an achievement that shares only stop words with the demand
    publish({"title": "基于北京科技项目的技术转化系统", "abstract": "已完成关键技术验证。"})
    demand = _demand(
        personas,
        committed,
        title="北京科技项目：石墨烯导热膜",
        problem="基于系统完成项目技术转化，需要石墨烯导热膜的制备工艺。",
    )
    # then the service lists nothing
    assert services.achievements_for_demand(demand, user=personas.enterprise) == []
    # and the panel says there is no good match, with no score
    html = client.get(
        reverse("matching:achievements-for-demand", args=[demand.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "暂无合适的匹配" in html and "0.00" not in html and "match-item" not in html


def test_relevance_levels_and_minimum():
    assert services.relevance(1, 20, False) < services.MIN_RELEVANCE
    assert services.relevance(1, 1, False) >= 0.65  # the one word asked for
    strong = services.Match(None, 1.0, ["机器视觉"], [], relevance=services.relevance(2, 9, True))
    partial = services.Match(None, 1.0, ["检测"], [], relevance=services.relevance(2, 9, False))
    assert (strong.level, strong.level_percent) == ("high", 100)
    assert partial.level == "low"


# ----------------------------------------------------------- reasons in words
def test_reasons_read_as_one_sentence_in_each_language(personas, publish, committed, client):
    ai = IndustryField.objects.get(code="AI")
    publish(
        {
            "title": "面向工业质检的小样本视觉缺陷检测算法",
            "abstract": "基于机器视觉的产线外观缺陷检测技术。",
        },
        field=ai,
        keywords="机器视觉,缺陷检测",
    )
    demand = _demand(
        personas,
        committed,
        title="产线外观缺陷自动检测",
        field=ai,
        problem="希望引入机器视觉缺陷检测技术。",
        keywords="机器视觉",
    )
    with translation.override("zh-hans"):
        [match] = services.achievements_for_demand(demand, user=personas.enterprise)
        assert match.sentence.startswith("同属人工智能领域；关键词：")
        assert "机器、视觉" in match.sentence or "机器视觉" in match.sentence
        assert "技术" not in match.sentence.split("关键词：")[1].split("；")[0]
        assert match.level == "high" and str(match.level_label) == "高度匹配"
    with translation.override("en"):
        [match] = services.achievements_for_demand(demand, user=personas.enterprise)
        assert match.sentence.startswith("both in the Artificial intelligence field; keywords: ")
    html = client.get(
        reverse("matching:achievements-for-demand", args=[demand.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "同属人工智能领域；关键词：" in html and "高度匹配" in html
    assert "match-level-bar" in html


# ----------------------------------------------------------------- providers
def test_the_provider_finder_knows_what_each_kind_offers(personas, committed):
    # given providers whose names and descriptions do not say the words asked for
    law = committed(
        create_organization,
        actor=SYSTEM,
        name="测试律师事务所",
        kind=OrgKind.LAW_FIRM,
        district=personas.university.district,
    )
    audit = committed(
        create_organization,
        actor=SYSTEM,
        name="测试会计师事务所",
        kind=OrgKind.ACCOUNTING_FIRM,
        district=personas.university.district,
    )
    # then a need names the service and finds the provider of that kind first
    for need, expected in (
        ("专利", personas.provider_org),
        ("审计", audit),
        ("法律", law),
        ("patent", personas.provider_org),
        ("audit", audit),
    ):
        matches = services.providers_for_need(need, user=ANONYMOUS)
        assert matches and matches[0].obj == expected, need
        assert all(m.obj.kind == expected.kind for m in matches), need


def test_the_provider_form_labels_its_filters(client):
    html = client.get(reverse("matching:providers-for-need")).content.decode()
    for name, label in (("q", "所需服务"), ("field", "产业领域"), ("district", "所在区")):
        assert f'for="id_{name}">{label}</label>' in html, name


# ---------------------------------------------- demo-built demand -> achievement
# The demo's achievements (title, field, keywords) and demands, as tmhub/transfer/demo.py seeds
# them today, with the demo's boilerplate abstract (full of stop words) on every achievement.
DEMO_TOPICS = [
    ("面向工业质检的小样本视觉缺陷检测算法", "AI", "机器视觉,小样本学习,缺陷检测"),
    ("高离子电导率硫化物固态电解质", "EQUIP", "固态电池,电解质,储能"),
    ("基于大模型的中文法律文书智能审查系统", "AI", "大模型,自然语言处理,法律科技"),
    ("可降解镁合金心血管支架", "MED", "可降解材料,支架,医疗器械"),
    ("低功耗存算一体AI芯片架构", "IC", "存算一体,芯片,低功耗"),
    ("肿瘤早筛ctDNA甲基化检测试剂盒", "MED", "液体活检,甲基化,早筛"),
    ("协作机器人柔性关节力控技术", "EQUIP", "机器人,力控,柔性关节"),
    ("6G太赫兹通信射频前端", "NGIT", "太赫兹,射频,6G"),
    ("城市级多源时空数据融合平台", "NGIT", "时空大数据,数据融合,智慧城市"),
    ("新型抗体偶联药物连接子技术", "MED", "ADC,抗体偶联,创新药"),
    ("工业设备预测性维护边缘计算模块", "AI", "预测性维护,边缘计算,工业互联网"),
    ("高精度MEMS惯性导航传感器", "IC", "MEMS,惯性导航,传感器"),
]
# demand (title, field, problem) -> the achievements that are on topic for it
DEMO_CASES = [
    (
        (
            "产线外观缺陷自动检测",
            "AI",
            "现有人工目检漏检率约3%，希望引入视觉检测，单线节拍不低于2秒/件。",
        ),
        {"面向工业质检的小样本视觉缺陷检测算法"},
    ),
    (
        ("动力电池安全性提升方案", "EQUIP", "寻求可量产的固态或半固态电解质技术，解决热失控风险。"),
        {"高离子电导率硫化物固态电解质"},
    ),
    (
        ("合同智能审核工具", "AI", "法务部门每月审核合同千余份，需要中文合同风险点自动识别。"),
        {"基于大模型的中文法律文书智能审查系统"},
    ),
    (
        ("边缘AI推理芯片选型与定制", "IC", "智能摄像头产品需要功耗低于1W的推理芯片方案。"),
        {"低功耗存算一体AI芯片架构"},
    ),
    (
        ("设备运维数据分析", "AI", "数千台数控机床运行数据需要故障预测模型。"),
        {"工业设备预测性维护边缘计算模块"},
    ),
    (
        ("创新药临床前CRO合作", "MED", "寻找ADC候选分子的药效与毒理评价合作方。"),
        {"新型抗体偶联药物连接子技术"},
    ),
]


def test_demo_demands_find_their_achievements_on_topic(personas, publish, committed):
    fields = {f.code: f for f in IndustryField.objects.all()}
    by_title = {}
    for title, code, keywords in DEMO_TOPICS:
        abstract = (
            f"{title}。该成果由{personas.university.name}团队研发，已完成关键技术验证，"
            "具备产业化条件。"
        )
        by_title[title] = publish(
            {"title": title, "abstract": abstract}, field=fields[code], keywords=keywords
        )
    for (title, code, problem), on_topic in DEMO_CASES:
        demand = _demand(
            personas,
            committed,
            title=title,
            problem=problem,
            field=fields[code],
            expected_outcome="形成可落地的技术方案并签订技术合同。",
            keywords=title[:8],
        )
        top = services.achievements_for_demand(demand, user=personas.enterprise, limit=3)
        # the on-topic achievement comes first; the rest of the top 3 stay in the field
        assert top and top[0].obj.title in on_topic, (title, [m.obj.title for m in top])
        assert all(m.obj.field_id == demand.field_id for m in top), (
            title,
            [m.obj.title for m in top],
        )
        # and no reason is a stop word
        for match in top:
            assert not set(match.terms) & stop_words(), (title, match.terms)
