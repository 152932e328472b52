"""The demo city is true (issue 12, item 10): real organisations in their real districts,
achievements that fit their owner, dates that agree, keywords that are words, and a Haidian
officer who sees Haidian's projects and contracts.

The demo is seeded once for the module (about two minutes) inside a transaction rolled back at
the end, and each test reads it. The facts are checked against the shared data files, not
against the seeder's own tables.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import sqlite_suite_only
from tmhub.accounts.models import User
from tmhub.core.access import get_scope
from tmhub.core.chinese_text import segment_for_search, tokenizer
from tmhub.core.choices import OrgKind
from tmhub.core.demo import csl, places
from tmhub.core.models import WorkflowEvent
from tmhub.core.policies import policy_for
from tmhub.orgs.models import Organization
from tmhub.training.models import Certificate
from tmhub.transfer.models import Achievement, Contract, Demand, Project

pytestmark = [pytest.mark.django_db, sqlite_suite_only]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tmhub.core.reference_data import ensure_reference_data

        with transaction.atomic():
            ensure_reference_data()
            call_command("seed_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


def _data(name):
    return json.loads((settings.SHARED_DATA_DIR / name).read_text(encoding="utf-8"))


def _corpus():
    path = settings.SHARED_DATA_DIR / "csl" / "corpus.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_every_real_organisation_is_in_the_district_its_data_file_gives(demo):
    expected = {}
    for name in places.FILES:
        for row in _data(name):
            expected["".join(row["name"].split())] = row.get("district")
    seeded = {o.name: o for o in Organization.objects.select_related("district")}
    checked = 0
    for name, district in expected.items():
        organization = seeded.get(name)
        assert organization is not None, f"{name} is in the data but not in the demo"
        shown = organization.district.name_zh if organization.district_id else None
        assert shown == district, f"{name}: demo says {shown}, the data file {district}"
        checked += 1
    assert checked >= 180
    assert seeded["清华大学"].district.name_zh == "海淀区"


def test_every_achievement_is_a_record_of_a_discipline_its_owner_works_in(demo):
    by_abstract = {row["abstract"].strip()[:5000]: row for row in _corpus()}
    achievements = list(Achievement.objects.select_related("owner"))
    assert len(achievements) >= 12
    for achievement in achievements:
        row = by_abstract.get(achievement.abstract)
        assert row is not None, f"{achievement.title} is not a CSL record"
        assert row["title"].strip() == achievement.title
        owner = achievement.owner
        allowed = csl.disciplines_for(owner.name, owner.kind)
        assert row["discipline"] in allowed, (owner.name, achievement.title, row["discipline"])
        # Independent of the rule table: medicine only at medical owners' kind, and no
        # engineering at an arts academy.
        category = csl.category_of()[row["discipline"]]
        if owner.kind == OrgKind.MEDICAL:
            assert category == "医学", (owner.name, achievement.title)
        if any(word in owner.name for word in ("电影", "音乐", "美术", "戏剧", "舞蹈", "戏曲")):
            assert category == "艺术学", (owner.name, achievement.title)


def test_the_rules_place_institutions_by_what_their_names_say():
    assert csl.disciplines_for("北京电影学院", OrgKind.UNIVERSITY) == ("艺术学",)
    assert set(csl.disciplines_for("首都医科大学", OrgKind.UNIVERSITY)) <= set(csl.MEDICINE)
    assert "作物学" in csl.disciplines_for("中国农业大学", OrgKind.UNIVERSITY)
    assert "信息与通信工程" not in csl.disciplines_for("北京电影学院", OrgKind.UNIVERSITY)
    assert csl.disciplines_for("北京协和医院", OrgKind.MEDICAL) == csl.MEDICINE


def _is_word(word: str, text: str) -> bool:
    """A word of jieba's dictionary, or a whole token of the text as jieba cuts it (a title's
    first eight characters, 产线外观缺陷自动, are neither)."""
    if len(word) < 2:
        return False
    return bool(tokenizer().FREQ.get(word)) or word in set(segment_for_search(text))


def test_a_fragment_of_a_title_is_not_a_word():
    title = "产线外观缺陷自动检测"
    assert _is_word("缺陷", title) and _is_word("自动检测", title)
    assert not _is_word(title[:8], title)
    assert not _is_word("测", title)


def test_keywords_are_words(demo):
    texts = [(a.keyword_list, f"{a.title}。{a.abstract}") for a in Achievement.objects.all()]
    texts += [(d.keyword_list, f"{d.title}。{d.problem}") for d in Demand.objects.all()]
    assert sum(len(words) for words, _ in texts) >= 30
    for words, text in texts:
        for word in words:
            assert _is_word(word, text), (word, text[:40])


def test_certificate_numbers_carry_the_year_they_were_issued(demo):
    certificates = list(Certificate.objects.all())
    assert len({c.issued_at.year for c in certificates}) >= 4  # 2022 … 2026
    for certificate in certificates:
        year = certificate.number.split("-")[1]
        assert year == str(timezone.localtime(certificate.issued_at).year), certificate.number


def test_workflow_steps_are_spread_over_their_records_past(demo):
    days = {e.time.date() for e in WorkflowEvent.objects.all()}
    assert len(days) > 100
    for project in Project.objects.exclude(landed_on=None):
        assert project.started_on <= project.landed_on
        for contract in project.contracts.all():
            assert contract.signed_on <= project.landed_on
    for achievement in Achievement.objects.exclude(published_at=None):
        assert achievement.disclosed_on <= achievement.published_at.date()


def test_the_haidian_officer_sees_haidians_projects_and_contracts(demo):
    scope = get_scope(User.objects.get(username="haidian_officer"))
    for model in (Project, Contract):
        rows = list(
            policy_for(model).rows(model.objects.select_related("institution__district"), scope)
        )
        assert rows, f"the Haidian officer sees no {model.__name__}"
        assert {r.institution.district.name_zh for r in rows} == {"海淀区"}


def test_people_are_named_like_people(demo):
    """A demo user's name is a person's name: no role, title or institution baked into it (the
    history and assignment lists print it beside the role and institution, so '技术经理人 刘洋'
    read as 技术经理人 技术经理人 刘洋)."""
    from tmhub.core.roles import Role

    words = {str(label) for label in Role.labels} | set(
        Organization.objects.values_list("name", flat=True)
    ) | {"主任", "处长", "科长", "老师", "经理", "律师", "教授", "专家"}
    people = User.objects.exclude(username="admin").exclude(display_name="")
    assert people.count() > 100
    for user in people:
        name = user.display_name
        assert " " not in name.strip(), name
        assert not any(word in name for word in words if len(word) > 1), name
