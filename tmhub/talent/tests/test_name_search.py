"""Names are found by any piece of them and sorted by pinyin (issue 12, item 4).

jieba's dictionary holds few personal names, so its HMM guesses how to cut one, differently
for each name: 赵明远 → 赵 / 明远, 王建国 whole, 欧阳明远 → 欧阳明 / 远. The directory indexed a
name whole and by its first character, so a newly registered 赵明远 was found neither by 赵明远
nor by 明远, while older demo names (cut whole) were.
"""

import random

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from tmhub.talent.models import ManagerProfile
from tmhub.talent.search import index_tokens, name_tokens, query_tokens, search
from tmhub.talent.services import search_text_for
from tmhub.talent.tests.helpers import make_profile, register, superuser

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于"
    "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
    "薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
) + ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "尉迟", "长孙"]
GIVEN = list(
    "明远建国思雨浩然婉清子涵一鸣志强秀英丽娟伟芳敏静磊洋勇艳杰娜涛超霞平刚桂兰俊峰"
    "晨曦桐梓萱宇轩欣怡博文嘉佳琪若沐阳天佑景行"
)


def generated_names(count: int, seed: int) -> list[tuple[str, str]]:
    """(surname, given name) pairs: one- and two-character given names, some compound
    surnames; a fixed seed so that a failure names the same people again."""
    rng = random.Random(seed)
    names: dict[tuple[str, str], None] = {}
    while len(names) < count:
        surname = rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        names[(surname, given)] = None
    return list(names)


def queries(surname: str, given: str) -> list[str]:
    return [surname + given, given, f"{surname} {given}", surname]


def test_the_reported_name_is_cut_by_jieba_and_found():
    # The cause: the query is cut into pieces that were never indexed.
    assert query_tokens("赵明远") == ["赵", "明远"]
    tokens = set(index_tokens(person_names=("赵明远",)))
    assert {"赵明远", "赵", "明远", "明", "远"} <= tokens


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_piece_of_many_generated_names_is_indexed(seed):
    """For 2,000 generated names: whatever jieba makes of the full name, the given name, the
    surname and given name apart or the surname alone, every query token is indexed."""
    for surname, given in generated_names(2000, seed):
        indexed = set(name_tokens(surname + given))
        for query in queries(surname, given):
            missing = set(query_tokens(query)) - indexed
            assert not missing, (surname + given, query, missing)


def test_transliterated_and_latin_names_are_found_by_their_parts():
    indexed = set(name_tokens("阿依古丽·买买提"))
    for query in ("阿依古丽", "买买提", "阿依古丽·买买提"):
        assert set(query_tokens(query)) <= indexed
    assert {"john", "smith", "johnsmith"} <= set(name_tokens("John Smith"))


def test_names_are_not_cut_into_words_of_other_texts():
    # Organisation names (index_tokens' `names`) keep their old tokens: whole and first
    # character, never every run of characters.
    tokens = set(index_tokens(names=("北京智联感知科技有限公司",)))
    assert "智联" not in tokens and "北京智联感知科技有限公司" in tokens


@pytest.mark.parametrize("seed", [7])
def test_managers_registered_through_the_service_are_found_by_name(personas, seed):
    """Managers created and registered through the real services (as /talent/join/ and the
    review do), then searched in the public directory; on SQLite and PostgreSQL alike."""
    people = generated_names(12, seed) + [("赵", "明远"), ("欧阳", "明远"), ("王", "建国")]
    profiles = {}
    for surname, given in people:
        profile = make_profile(
            name=surname + given, employer=personas.university, district=personas.haidian
        )
        register(
            profile, employer_admin=personas.institution_admin, municipal=personas.municipal_admin
        )
        profiles[surname + given] = profile
    rows = ManagerProfile.objects.filter(is_listed=True)
    for surname, given in people:
        for query in queries(surname, given):
            found = set(search(rows, query).values_list("full_name", flat=True))
            assert surname + given in found, (query, found)
            # Every one found holds the query in the name (a token of the name, not noise).
            assert all(given in name or surname in name for name in found)
    response = client_for(None).get(reverse("talent:directory"), {"q": "明远"})
    assert {m.full_name for m in response.context["object_list"]} == {"赵明远", "欧阳明远"}


def test_search_text_is_refreshed_when_the_name_changes(personas):
    from tmhub.talent import services

    profile = make_profile(name="赵明远")
    services.update_profile(profile, actor=personas.municipal_admin, full_name="钱思远")
    profile.refresh_from_db()
    assert profile.search_text == search_text_for(profile)
    rows = ManagerProfile.objects.all()
    assert search(rows, "思远").get() == profile
    assert not search(rows, "明远").exists()


def test_lists_sort_names_by_pinyin_not_code_point(personas):
    # Code points order 张 (U+5F20) before 白 (U+767D) and 陈 (U+9648) before 阿 (U+963F).
    names = ["张伟", "陈静", "白雪", "阿明"]
    for name in names:
        profile = make_profile(name=name, district=personas.haidian)
        register(profile, employer_admin=superuser(), municipal=personas.municipal_admin)
    expected = ["阿明", "白雪", "陈静", "张伟"]
    assert sorted(names) != expected  # the old order
    assert [p.full_name for p in ManagerProfile.objects.filter(is_listed=True)] == expected
    page = client_for(None).get(reverse("talent:directory"), {"ordering": "name"})
    assert [m.full_name for m in page.context["object_list"]] == expected
    page = client_for(None).get(reverse("talent:directory"), {"ordering": "-name"})
    assert [m.full_name for m in page.context["object_list"]] == expected[::-1]
    api = APIClient().get("/api/v1/managers/", {"ordering": "name"}).json()
    assert [m["full_name"] for m in api["results"]] == expected
    assert [p.full_name for p in ManagerProfile.objects.order_by("-name_pinyin")] == expected[::-1]


def test_surnames_are_read_as_surnames():
    from tmhub.core.chinese_text import pinyin_key

    assert pinyin_key("曾国藩", person=True).startswith("zeng1")
    assert pinyin_key("单田芳", person=True).startswith("shan4")
    assert pinyin_key("曾经").startswith("ceng2")
