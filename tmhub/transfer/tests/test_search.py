"""Search of achievements and demands: by word of title, text, keywords and organisation,
kept current on every edit and rename, the same in the list page and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from tmhub.orgs import services as org_services
from tmhub.transfer import services
from tmhub.transfer.models import Achievement, Demand
from tmhub.transfer.tests.chain import make_achievement, make_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(personas):
    return make_chain(personas)


def _found(client, query, kind="achievements"):
    answer = client.get(f"/api/v1/{kind}/", {"search": query})
    assert answer.status_code == 200
    return {row["id"] for row in answer.json()["results"]}


def _listed(client, query, route="transfer:achievement-list"):
    answer = client.get(reverse(route), {"q": query})
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.mark.parametrize("query", ["智能巡检", "机器人", "巡检 机器人", "电导率", "固态电池"])
def test_a_published_achievement_is_found_by_words_of_its_text(personas, query):
    achievement = make_achievement(personas, "已发布：智能巡检机器人", publish=True)
    other = make_achievement(personas, "已发布：抗体药物偶联", publish=True)
    services.update_achievement(other, actor=personas.institution_admin,
                                abstract="一种靶向肿瘤的药物。", keywords="抗体,偶联药物")
    anonymous = client_for(None)
    assert _found(anonymous, query) == {achievement.pk}
    assert achievement.title in _listed(anonymous, query)
    assert "抗体药物偶联" not in _listed(anonymous, query)


def test_all_words_must_be_present(personas):
    make_achievement(personas, "已发布：智能巡检机器人", publish=True)
    assert _found(client_for(None), "巡检 抗体") == set()


def test_an_edit_and_an_owner_rename_are_searchable_at_once(personas):
    achievement = make_achievement(personas, "已发布：智能巡检机器人", publish=True)
    anonymous = client_for(None)
    services.update_achievement(achievement, actor=personas.institution_admin,
                                title="已发布：高速列车制动系统")
    assert _found(anonymous, "制动") == {achievement.pk}
    assert _found(anonymous, "巡检") == set()

    org_services.update_organization(personas.university, actor=personas.municipal_admin,
                                     name="北京星辰理工大学")
    assert _found(anonymous, "星辰理工大学") == {achievement.pk}
    assert Achievement.objects.get(pk=achievement.pk).search_text.count("星辰") >= 1


def test_a_demand_is_found_by_its_problem_and_enterprise(personas, chain):
    enterprise = client_for(personas.enterprise)
    assert chain.demand_published.pk in _found(enterprise, "缺陷检测", kind="demands")
    assert chain.demand_published.title in _listed(enterprise, "缺陷检测",
                                                   route="transfer:demand-list")
    services.update_demand(chain.demand_published, actor=personas.enterprise,
                           problem="需要锂电池回收工艺")
    assert _found(enterprise, "缺陷检测", kind="demands") == set()
    assert chain.demand_published.pk in _found(enterprise, "回收工艺", kind="demands")
    assert Demand.objects.get(pk=chain.demand_published.pk).search_text


def test_search_keeps_confidential_disclosures_confidential(personas):
    draft = make_achievement(personas, "机密发明：量子密钥分发")
    assert _found(client_for(None), "量子密钥") == set()
    assert _found(client_for(personas.enterprise), "量子密钥") == set()
    assert _found(client_for(personas.institution_admin), "量子密钥") == {draft.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN-indexed vector")
def test_postgresql_searches_the_indexed_vector(personas):
    make_achievement(personas, "已发布：智能巡检机器人", publish=True)
    with CaptureQueriesContext(connection) as queries:
        _found(client_for(None), "巡检")
    assert any('"search_vector" @@ to_tsquery' in q["sql"] for q in queries.captured_queries)
    assert not any("LIKE UPPER" in q["sql"] or "ILIKE" in q["sql"].upper()
                   for q in queries.captured_queries if "transfer_achievement" in q["sql"])
