"""Organisation search ranks the exact name first, then names that begin with the query, then
the rest; names sort by pinyin (issue 12, item 4). In the UI (`q`) and the API (`q`, `search`).

Before: `?search=清华大学` listed every organisation whose name contained 清华大学 in name order,
and 清华大学 itself was not on the first page (the 132 departments, companies and 北京清华… of
the demo sort before it by code point); the API ignored `search` altogether.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.orgs.models import Organization
from tmhub.orgs.services import create_organization, update_organization

pytestmark = pytest.mark.django_db

# Names that contain 清华大学 and sort before it by code point and by pinyin (北 bei, 艾 ai).
CONTAINING = [f"北京清华大学{n}校友企业" for n in range(15)] + ["艾克清华大学联合实验室"]
PREFIXED = [
    f"清华大学{suffix}"
    for suffix in (
        "出版社",
        "第一附属医院",
        "附属北京清华长庚医院",
        "天津高端装备研究院",
        "深圳国际研究生院",
        "技术转移研究院",
        "工程物理系",
        "材料学院",
        "化学系",
        "计算机系",
        "电子工程系",
        "自动化系",
        "机械工程系",
        "精密仪器系",
        "环境学院",
        "建筑学院",
        "车辆与运载学院",
        "能源与动力工程系",
        "核能与新能源技术研究院",
        "医学院",
    )
]


@pytest.fixture
def tsinghua(db):
    for name in CONTAINING + PREFIXED + ["清华大学", "北京大学"]:
        create_organization(actor=SYSTEM, name=name, kind=OrgKind.UNIVERSITY)


def _ui_names(query, **params):
    response = client_for(None).get(reverse("orgs:organization-list"), {"q": query, **params})
    return [o.name for o in response.context["object_list"]]


def _api_names(**params):
    return [o["name"] for o in APIClient().get("/api/v1/organizations/", params).json()["results"]]


def _rank(name):
    return 0 if name == "清华大学" else 1 if name.startswith("清华大学") else 2


def _ranked(names):
    """The exact name, then the prefixed names, then the containing ones."""
    ranks = [_rank(n) for n in names]
    return ranks == sorted(ranks)


def test_ui_search_lists_the_exact_name_first_then_prefixes(tsinghua):
    names = _ui_names("清华大学")
    assert names[0] == "清华大学"
    assert set(names[1 : 1 + len(PREFIXED)]) == set(PREFIXED)
    assert "北京大学" not in names
    page_two = (
        client_for(None)
        .get(reverse("orgs:organization-list"), {"q": "清华大学", "page": 2})
        .context["object_list"]
    )
    every = names + [o.name for o in page_two]
    assert _ranked(every) and len(every) == 1 + len(PREFIXED) + len(CONTAINING)


@pytest.mark.parametrize("param", ["search", "q"])
def test_api_search_ranks_like_the_ui(tsinghua, param):
    names = _api_names(**{param: "清华大学", "page_size": 100})
    assert names[0] == "清华大学"
    assert _ranked(names) and len(names) == 1 + len(PREFIXED) + len(CONTAINING)
    # Within a group by pinyin: 艾克… (ai) before the 北京… (bei) ones.
    containing = [n for n in names if not n.startswith("清华大学")]
    assert containing[0] == "艾克清华大学联合实验室"


def test_a_prefix_of_the_name_ranks_names_beginning_with_it_first(tsinghua):
    names = _ui_names("清华")
    assert names[0].startswith("清华")
    assert not any(n.startswith("北京") for n in names[: len(PREFIXED) + 1])


def test_english_names_and_credit_codes_rank_exact_first(personas):
    university = personas.university
    update_organization(university, actor=SYSTEM, name_en="Test University")
    create_organization(
        actor=SYSTEM,
        name="测试大学出版社",
        kind=OrgKind.ENTERPRISE,
        name_en="Test University Press",
    )
    create_organization(
        actor=SYSTEM, name="新测试大学", kind=OrgKind.ENTERPRISE, name_en="The New Test University"
    )
    assert _api_names(search="test university")[0] == "测试大学"
    assert _api_names(search="test university")[1] == "测试大学出版社"
    assert _api_names(search=university.credit_code) == ["测试大学"]


def test_an_explicit_sort_replaces_the_ranking(tsinghua):
    names = _api_names(search="清华大学", ordering="-name", page_size=100)
    keys = list(Organization.objects.filter(name__in=names).values_list("name", "name_pinyin"))
    by_key = dict(keys)
    assert [by_key[n] for n in names] == sorted(by_key.values(), reverse=True)


def test_organisations_sort_by_pinyin(db):
    for name in ("张家口学院", "陈氏科技有限公司", "白塔研究所", "阿尔法医院"):
        create_organization(actor=SYSTEM, name=name, kind=OrgKind.ENTERPRISE)
    expected = ["阿尔法医院", "白塔研究所", "陈氏科技有限公司", "张家口学院"]
    assert sorted(expected) != expected  # code points put 张 and 白 before 阿 and 陈
    assert [o.name for o in Organization.objects.all()] == expected
    assert _api_names(ordering="name") == expected
    assert _ui_names("", ordering="-name") == expected[::-1]


def test_a_renamed_organisation_sorts_by_its_new_name(db):
    first = create_organization(actor=SYSTEM, name="阿尔法医院", kind=OrgKind.ENTERPRISE)
    create_organization(actor=SYSTEM, name="白塔研究所", kind=OrgKind.ENTERPRISE)
    update_organization(first, actor=SYSTEM, name="张家口医院")
    assert [o.name for o in Organization.objects.all()] == ["白塔研究所", "张家口医院"]
