"""Directory: jieba search in Chinese and English, filters, hiding, query counts, services."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import IndustryField
from tmhub.talent import registration as reg
from tmhub.talent import services
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import Competence, ManagerProfile
from tmhub.talent.search import index_tokens, query_tokens, search
from tmhub.talent.tests.helpers import (
    bad_check_digit,
    make_profile,
    register,
    resident_id,
    superuser,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(personas):
    a = make_profile(personas.manager, employer=personas.university, district=personas.haidian,
                     name="刘洋", bio="长期从事人工智能芯片的专利运营与技术许可谈判。",
                     fields=("AI", "IC"), competences=("IP", "NEGO"))
    b = make_profile(employer=personas.hospital, district=personas.chaoyang, name="陈静",
                     bio="医疗器械临床转化，熟悉药品注册和投融资。", fields=("MED",),
                     competences=("INVEST", "LAW"))
    c = make_profile(employer=personas.university, district=personas.haidian, name="刘备",
                     bio="区块链金融。", fields=("BLOCK",), competences=("FIN",))
    admin, city = personas.institution_admin, personas.municipal_admin
    register(a, employer_admin=admin, municipal=city)
    register(b, employer_admin=superuser(), municipal=city)
    register(c, employer_admin=admin, municipal=city, upto=S.SUSPENDED)
    return a, b, c


def _names(response):
    return {m.full_name for m in response.context["object_list"]}


def test_tokens_are_jieba_words_not_substrings():
    assert "人工智能" in index_tokens("人工智能芯片")
    assert {"人工", "智能"} <= set(index_tokens("人工智能芯片"))
    assert query_tokens("人工智能 Patent") == ["人工智能", "patent"]


@pytest.mark.parametrize("query, expected", [
    ("人工智能", {"刘洋"}),
    ("专利 谈判", {"刘洋"}),
    ("artificial intelligence", {"刘洋"}),
    ("Investment", {"陈静"}),
    ("医药健康", {"陈静"}),
    ("刘", {"刘洋"}),  # surname; 刘备 is suspended and hidden
    ("测试大学", {"刘洋"}),
    ("区块链", set()),
    ("不存在的词", set()),
])
def test_search_in_chinese_and_english(pool, query, expected):
    response = client_for(None).get(reverse("talent:directory"), {"q": query})
    assert _names(response) == expected


def test_filters_by_field_competence_district_and_level(pool):
    client = client_for(None)
    ai = IndustryField.objects.get(code="AI")
    law = Competence.objects.get(code="LAW")
    assert _names(client.get(reverse("talent:directory"), {"field": ai.pk})) == {"刘洋"}
    assert _names(client.get(reverse("talent:directory"), {"competence": law.pk})) == {"陈静"}
    assert _names(client.get(reverse("talent:directory"),
                             {"district": pool[1].work_district_id})) == {"陈静"}
    assert _names(client.get(reverse("talent:directory"), {"level": "senior"})) == set()
    api = client.get(reverse("manager-list"), {"q": "专利", "competence": law.pk}).json()
    assert api["count"] == 0


def test_suspended_manager_stays_in_the_registry(pool, personas):
    suspended = pool[2]
    assert client_for(None).get(suspended.get_absolute_url()).status_code == 404
    assert client_for(personas.municipal_admin).get(suspended.get_absolute_url()).status_code \
        == 200
    people = client_for(personas.institution_admin).get(reverse("talent:people-list"))
    assert "刘备" in {p.full_name for p in people.context["object_list"]}


def test_directory_query_count_does_not_depend_on_page_size(pool, personas,
                                                           django_assert_max_num_queries):
    for i in range(30):
        p = make_profile(employer=personas.university, district=personas.haidian,
                         name=f"张{i}", id_number=resident_id(600 + i))
        register(p, employer_admin=personas.institution_admin,
                 municipal=personas.municipal_admin)
    client = client_for(None)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("talent:directory"), {"q": "人工智能"})
    assert len(response.context["object_list"]) == 20
    with django_assert_max_num_queries(8):
        client.get(reverse("manager-list"), {"page_size": 30})
    city = client_for(personas.municipal_admin)
    with django_assert_max_num_queries(14):
        city.get(reverse("talent:people-list"))


def test_search_text_follows_edits(pool):
    profile = pool[0]
    services.update_profile(profile, actor=profile.user, bio="量子计算的成果评价")
    assert search(ManagerProfile.objects.all(), "量子计算").get() == profile
    assert not search(ManagerProfile.objects.all(), "芯片").filter(pk=profile.pk).exists()


def test_resident_id_check_digit_and_duplicates(personas):
    with pytest.raises(ValidationError) as exc:
        make_profile(id_number=bad_check_digit(resident_id(11)))
    assert "id_number" in exc.value.message_dict
    make_profile(id_number=resident_id(12))
    with pytest.raises(ValidationError) as exc:
        make_profile(id_number=resident_id(12).lower(), name="另一个人")
    assert exc.value.error_dict["id_number"][0].code == "duplicate_person"
    # A passport for an international manager needs the nationality
    profile = make_profile(identity_type="passport", id_number="E1234567",
                           nationality="Germany", name="Anna Schmidt")
    assert profile.id_number_masked.startswith("E") and "1234567" not in profile.id_number_masked


def test_identity_is_frozen_during_review(pool, personas):
    profile = pool[0]
    with pytest.raises(ValidationError) as exc:
        services.update_profile(profile, actor=personas.manager, full_name="刘阳")
    assert exc.value.error_dict["full_name"][0].code == "identity_locked"
    services.update_profile(profile, actor=personas.municipal_admin, full_name="刘阳")
    services.update_profile(profile, actor=personas.manager, bio="新的简介：人工智能")


def test_new_user_signs_up_and_returned_comments_show_on_the_form(personas):
    client = client_for(None)
    response = client.post(reverse("talent:signup"), {
        "username": "newbie", "full_name": "孙丽", "email": "newbie@example.cn",
        "password": "Strong-pass-2025"})
    assert response.status_code == 302
    response = client.post(reverse("talent:my-profile"), {
        "full_name": "孙丽", "identity_type": "resident_id", "id_number": resident_id(88),
        "nationality": "中国", "employer": personas.university.pk,
        "employment_type": "full_time", "work_district": personas.haidian.pk,
        "degree": "doctor", "fields": [IndustryField.objects.get(code="AI").pk],
        "competences": [Competence.objects.get(code="IP").pk], "training_level": "junior",
        "professional_title": "engineer", "entry_route": "trained", "years_experience": 2,
        "bio": "人工智能方向技术经理人",
    })
    assert response.status_code == 302, response.context["form"].errors
    profile = ManagerProfile.objects.get(full_name="孙丽")
    registration = reg.start_registration(actor=profile.user, profile=profile)
    for target, actor in [(S.SUBMITTED, profile.user), (S.ENDORSED, personas.institution_admin),
                          (S.UNDER_REVIEW, personas.municipal_admin)]:
        registration = reg.transition_registration(registration, target, actor=actor)
    client_for(personas.municipal_admin).post(
        reverse("talent:registration-transition", args=[registration.pk, "returned"]),
        {"reason": "请补充", "comment_bio": "请补充代表性项目"})
    page = client.get(reverse("talent:manager-edit", args=[profile.pk])).content.decode()
    assert "请补充代表性项目" in page


# By pinyin: 陈 (chen) before 刘 (liu), though 刘 comes first by code point.
@pytest.mark.parametrize("ordering, expected", [("name", ["陈静", "刘洋"]),
                                                ("-name", ["刘洋", "陈静"])])
def test_api_sorts_by_the_directory_orderings(pool, ordering, expected):
    from rest_framework.test import APIClient

    rows = APIClient().get(f"/api/v1/managers/?ordering={ordering}").json()["results"]
    assert [row["full_name"] for row in rows] == expected
