"""The matching service on small real samples: ranking, reasons, scopes, freshness."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tmhub.core.actors import SYSTEM
from tmhub.core.models import District, IndustryField
from tmhub.matching import services
from tmhub.transfer import services as transfer
from tmhub.transfer.models import Demand

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()  # a visitor who is not signed in


def _demand(personas, committed, **values):
    demand = committed(transfer.create_demand, actor=personas.enterprise,
                       organization=personas.company, **values)
    return committed(transfer.publish_demand, demand, actor=personas.enterprise)


def test_demand_ranks_the_achievement_it_describes_first(personas, publish, csl_records,
                                                         committed):
    # given 30 published real achievements
    achievements = [publish(row) for row in csl_records[:30]]
    target = achievements[7]
    # when an enterprise publishes a demand worded like one of them
    demand = _demand(personas, committed, title=csl_records[7]["title"],
                     problem="希望找到相关技术成果进行合作转化。")
    matches = services.achievements_for_demand(demand, user=personas.enterprise)
    # then that achievement comes first, with the words that matched as its reason
    assert matches[0].obj == target
    assert matches[0].terms and matches[0].terms[0] in matches[0].reasons[0]
    assert any(str(target.trl) in reason for reason in matches[0].reasons)


def test_structured_signals_reorder_and_explain(personas, publish, committed):
    # given two achievements with the same text, one in the demand's field
    ai = IndustryField.objects.get(code="AI")
    med = IndustryField.objects.get(code="MED")
    row = {"title": "基于深度学习的图像识别方法", "abstract": "提出一种卷积神经网络图像识别方法。"}
    other = publish(row, field=med)
    same = publish(row, field=ai)
    demand = _demand(personas, committed, title="图像识别", problem="需要图像识别算法",
                     field=ai)
    # when matched
    matches = services.achievements_for_demand(demand, user=personas.enterprise)
    # then the one sharing the field ranks first and says so (the other, sharing only the
    # words, is listed below it or not at all: under the minimum relevance)
    assert matches[0].obj == same
    assert [m.obj for m in matches[1:]] in ([other], [])
    assert matches[0].facts["shared_field"] == "AI"
    assert all("shared_field" not in m.facts for m in matches[1:])


def test_confidential_and_withdrawn_achievements_never_appear(personas, publish, committed):
    # given a published achievement, a confidential draft with the same words
    row = {"title": "锂电池正极材料低温合成工艺", "abstract": "一种锂电池正极材料的低温合成工艺。"}
    public = publish(row)
    draft = publish(row, publish=False)
    demand = _demand(personas, committed, title="锂电池正极材料", problem="锂电池正极材料合成")
    # then only the published one is offered, to everyone including the draft's owner
    for user in (personas.enterprise, personas.institution_admin, ANONYMOUS):
        assert [m.obj for m in services.achievements_for_demand(demand, user=user)] == [public]
    # when it is withdrawn, it disappears at once (removed synchronously at commit)
    committed(transfer.withdraw_achievement, public, actor=personas.institution_admin,
              reason="重新评估")
    assert services.achievements_for_demand(demand, user=personas.enterprise) == []
    assert draft.pk  # still there, still confidential


def test_an_edit_is_searchable_after_commit(personas, publish, committed):
    achievement = publish({"title": "水处理膜材料", "abstract": "一种反渗透膜材料。"})
    demand = _demand(personas, committed, title="石墨烯导热膜", problem="石墨烯导热膜")
    assert services.achievements_for_demand(demand, user=personas.enterprise) == []
    committed(transfer.update_achievement, achievement, actor=personas.institution_admin,
              title="石墨烯导热膜制备方法")
    assert [m.obj for m in services.achievements_for_demand(
        demand, user=personas.enterprise)] == [achievement]


def test_achievement_page_lists_published_demands_only(personas, publish, committed):
    achievement = publish({"title": "工业机器人视觉定位系统", "abstract": "机器人视觉定位。"})
    published = _demand(personas, committed, title="机器人视觉定位", problem="产线机器人视觉定位")
    committed(transfer.create_demand, actor=personas.enterprise,
              organization=personas.company, title="机器人视觉定位（草稿）",
              problem="机器人视觉定位")
    matches = services.demands_for_achievement(achievement, user=personas.institution_admin)
    assert [m.obj for m in matches] == [published]
    committed(transfer.close_demand, published, actor=personas.enterprise, reason="已解决")
    assert services.demands_for_achievement(achievement, user=personas.institution_admin) == []


def test_bare_demand_text_ranks_like_a_saved_demand(personas, publish, csl_records,
                                                    committed):
    # the batch command ranks an unsaved demand: the same query as a page with that text
    for row in csl_records[:20]:
        publish(row)
    text = csl_records[3]["title"]
    saved = _demand(personas, committed, title=text, problem=text)
    unsaved = Demand(title=saved.title, problem=saved.problem)
    assert services.demand_query(saved).text == services.demand_query(unsaved).text
    assert ([m.obj.pk for m in services.achievements_for_demand(saved, user=ANONYMOUS)]
            == [m.obj.pk for m in services.achievements_for_demand(unsaved, user=ANONYMOUS)])


def test_text_without_terms_and_no_preferences_matches_nothing(personas, publish):
    publish({"title": "数据挖掘", "abstract": "数据挖掘方法。"})
    assert services.achievements_for_demand(Demand(problem="@@"), user=ANONYMOUS) == []


def test_providers_for_need(personas):
    from tmhub.orgs.services import update_organization

    update_organization(personas.provider_org, actor=SYSTEM,
                        description="专利申请代理、专利检索分析与知识产权评估服务。")
    haidian = District.objects.get(code="110108")
    matches = services.providers_for_need("专利检索", user=ANONYMOUS, district=haidian)
    assert [m.obj for m in matches] == [personas.provider_org]
    assert any("海淀" in r or "Haidian" in r for r in matches[0].reasons)
    assert services.providers_for_need("", user=ANONYMOUS) == []


def test_track_record_counts_deals_as_the_registry_defines_them(personas):
    """A deal is what `transfer_deals` says (a project with a signed technology contract), so
    a project merely moved to the transaction stage is workload, not a deal."""
    import datetime

    from django.utils.translation import gettext as _

    from tmhub.core import metrics
    from tmhub.core.metrics import Period
    from tmhub.matching.tests.factories import matching_world
    from tmhub.transfer.choices import ContractKind, PartyRole, Stage
    from tmhub.transfer.tests.chain import walk_to

    world = matching_world(personas)
    colleague, admin = world.colleague.user, personas.institution_admin

    def project(title):
        return transfer.create_project(actor=admin, institution=personas.university,
                                       title=title, lead=colleague)

    signed = project("已签约的成果转化项目")
    transfer.create_contract(
        actor=admin, institution=personas.university, project=signed, title="许可合同",
        kind=ContractKind.LICENCE, amount_fen=1_000_000, signed_on=datetime.date(2025, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])
    for title in ("只推进了阶段的项目", "另一个只推进了阶段的项目"):
        # past the stage gates by the city's override (no contract, so no deal)
        walk_to(project(title), Stage.TRANSACTION, colleague,
                override_by=personas.municipal_admin)
    # when the colleague is recommended for the world's project
    (match,) = [m for m in services.managers_for_project(world.project, user=admin)
                if m.obj == world.colleague]
    # then one deal (the signed contract) and three active projects, as the registry counts
    assert match.facts["deals"] == 1 and match.facts["active_projects"] == 3
    today = Period(datetime.date.min, timezone.localdate())
    assert metrics.get("transfer_deals").values([colleague.pk], today)[colleague.pk] == 1
    assert _("%(n)s deals closed") % {"n": 1} in match.reasons


def test_work_outside_a_project_is_matched_to_managers_as_a_project_would_be(personas):
    """Given the colleague works on AI at the university, when a pilot-like piece of work in
    AI at the university asks for managers in words, then the colleague is recommended with
    the same kind of reasons a project gets, and a manager hidden from the user is not."""
    from django.utils.translation import gettext as _

    from tmhub.matching.tests.factories import matching_world

    world = matching_world(personas)
    ai = world.project.field
    found = services.managers_for_work(
        "工业视觉检测成果转化", user=personas.institution_admin, industry_field=ai,
        institution=personas.university)
    (match,) = [m for m in found if m.obj == world.colleague]
    assert match.facts["shared_field"] == "AI" and "deals" in match.facts
    assert _("works at the project's institution") in match.reasons
    assert match.level in ("high", "medium", "low")
    # the same ranking a project of the same words, field and institution gets
    by_project = services.managers_for_project(world.project, user=personas.institution_admin)
    assert world.colleague in [m.obj for m in by_project]
    assert services.managers_for_work("工业视觉检测", user=AnonymousUser(), industry_field=ai,
                                      institution=personas.university) == []


def test_work_below_the_minimum_relevance_is_listed_only_when_the_caller_lowers_it(personas):
    """Given the colleague at the university with no deals, when work at the university in no
    field asks for managers, then the default cut-off lists nobody (relevance is at most
    text and locality, below MIN_RELEVANCE), and a caller that lowers the cut-off gets the
    colleague, ranked and explained the same way, without a level."""
    from tmhub.matching.tests.factories import matching_world

    world = matching_world(personas)
    work = dict(user=personas.institution_admin, institution=personas.university)
    assert world.colleague not in [
        m.obj for m in services.managers_for_work("工业视觉检测成果转化", **work)]
    (match,) = [m for m in services.managers_for_work("工业视觉检测成果转化", min_relevance=0,
                                                      **work) if m.obj == world.colleague]
    assert 0 <= match.relevance < services.MIN_RELEVANCE and match.level == ""
    assert "deals" in match.facts and match.terms
    # the keyword changes nothing else: the default still matches the explicit cut-off
    assert ([m.obj for m in services.managers_for_work("工业视觉检测成果转化", **work)]
            == [m.obj for m in services.managers_for_work(
                "工业视觉检测成果转化", min_relevance=services.MIN_RELEVANCE, **work)])
