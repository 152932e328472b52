"""The chain in a district (issue 15 item 8): demand publication → technology matching →
negotiation → landing. The counts on the district page equal an independent count of the
records, each step's demands are among the step before's, a landing in another district does
not land a demand, and the lists behind the counts are for the city and the district's own
officers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.metrics import Period
from tmhub.districts import services
from tmhub.districts.choices import LandingKind
from tmhub.districts.metrics import CHAIN_STEPS, PLAN_PERIOD, chain_demands
from tmhub.districts.tests.world import valid_credit_code
from tmhub.matching.models import IntroductionRequest
from tmhub.transfer.choices import Stage
from tmhub.transfer.models import Demand, Project
from tmhub.transfer.services import create_achievement, create_project
from tmhub.transfer.services.demands import create_demand, publish_demand

pytestmark = pytest.mark.django_db


def _demand(personas, title, *, district, published_on=None, publish=True):
    demand = create_demand(actor=personas.enterprise, organization=personas.company, title=title,
                           problem="需要解决的问题", district=district,
                           deadline=timezone.localdate() + datetime.timedelta(days=60))
    if publish:
        demand = publish_demand(demand, actor=personas.enterprise)
    if published_on:  # a demand published in an earlier year (the fixture dates it back)
        Demand.objects.filter(pk=demand.pk).update(published_at=datetime.datetime.combine(
            published_on, datetime.time(10), tzinfo=timezone.get_current_timezone()))
    return demand


def _project(personas, demand, *, stage=Stage.MINING):
    project = create_project(actor=personas.manager, institution=personas.university,
                             title=f"承接：{demand.title}")
    project.demands.add(demand)
    Project.objects.filter(pk=project.pk).update(stage=stage)  # where the project stands
    return project


def _land(personas, project, district, actor):
    return services.record_landing(
        actor=actor, district=district, kind=LandingKind.COMPANY, project=project,
        title=f"{project.title} 落地", occurred_on=timezone.localdate(),
        company_name="北京链条测试科技有限公司", credit_code=valid_credit_code(),
        managers=[personas.manager])


@pytest.fixture
def chain(personas):
    """Haidian's demands at each step this year, one from 2024, a draft, and one landed in
    Chaoyang instead; Chaoyang's own demand."""
    haidian, chaoyang = personas.haidian, personas.chaoyang
    d = {name: _demand(personas, name, district=haidian)
         for name in ("only_published", "asked", "carried", "negotiating", "landed",
                      "landed_elsewhere")}
    d["old"] = _demand(personas, "old", district=haidian, published_on=datetime.date(2024, 5, 6))
    d["draft"] = _demand(personas, "draft", district=haidian, publish=False)
    d["chaoyang"] = _demand(personas, "chaoyang", district=chaoyang)
    achievement = create_achievement(actor=personas.institution_admin, owner=personas.university,
                                     inventors=[{"name": "张三", "share": 100}],
                                     title="一项成果", abstract="一项成果的技术方案")
    IntroductionRequest.objects.create(achievement=achievement, demand=d["asked"], side="demand")
    IntroductionRequest.objects.create(achievement=achievement, demand=d["chaoyang"],
                                       side="achievement")
    _project(personas, d["carried"])
    _project(personas, d["negotiating"], stage=Stage.NEGOTIATION)
    _project(personas, d["old"], stage=Stage.TRANSACTION)
    # a landed project may have been recorded at an early stage: it still reached the end
    _land(personas, _project(personas, d["landed"]), haidian, personas.district_officer)
    _land(personas, _project(personas, d["landed_elsewhere"], stage=Stage.LANDING), chaoyang,
          personas.municipal_admin)
    return d


def _independent(d, period):
    """The steps counted by hand from the fixture's story."""
    this_year = ["only_published", "asked", "carried", "negotiating", "landed",
                 "landed_elsewhere"]
    if period == PLAN_PERIOD:
        return {"published": {"old"}, "matched": {"old"}, "negotiation": {"old"},
                "landed": set()}
    return {"published": set(this_year),
            "matched": {"asked", "carried", "negotiating", "landed", "landed_elsewhere"},
            "negotiation": {"negotiating", "landed", "landed_elsewhere"},
            "landed": {"landed"}}


@pytest.mark.parametrize("which", ["year", "plan"])
def test_each_step_counts_what_an_independent_count_finds(personas, chain, which):
    period = Period.year(timezone.localdate().year) if which == "year" else PLAN_PERIOD
    expected = _independent(chain, period)
    by_pk = {d.pk: name for name, d in chain.items()}
    before = None
    for step, _key in CHAIN_STEPS:
        found = {by_pk[pk] for pk in chain_demands(step, [personas.haidian.pk], period)
                 .values_list("pk", flat=True)}
        assert found == expected[step], step
        assert before is None or found <= before  # each step is among the step before
        before = found
    # the registered metrics give the same numbers, per district in one call
    from tmhub.core import metrics

    values = metrics.compute([key for _s, key in CHAIN_STEPS],
                             [personas.haidian.pk, personas.chaoyang.pk], period)
    for step, key in CHAIN_STEPS:
        assert values[key].get(personas.haidian.pk, 0) == len(expected[step]), key
    if which == "year":  # Chaoyang's own demand was matched; the landing there is not its own
        assert values["districts.chain_published"][personas.chaoyang.pk] == 1
        assert values["districts.chain_matched"][personas.chaoyang.pk] == 1
        assert values["districts.chain_landed"].get(personas.chaoyang.pk, 0) == 0


def test_the_district_page_shows_the_chain_with_shares(personas, chain):
    page = client_for(None).get(reverse("districts:district_detail",
                                        args=[personas.haidian.code]))
    assert page.status_code == 200
    rows = {row["step"]: row for row in page.context["chain"]}
    assert [rows[s]["year"]["count"] for s, _k in CHAIN_STEPS] == [6, 5, 3, 1]
    assert rows["matched"]["year"]["rate"] == 83  # 5 of 6
    assert rows["landed"]["year"]["rate"] == 33  # 1 of 3
    assert rows["published"]["plan"]["count"] == 1
    # the public sees the counts but no link to the demands behind them
    chain_url = reverse("districts:chain", args=[personas.haidian.code, "landed"])
    assert chain_url not in page.content.decode()
    officer = client_for(personas.district_officer).get(
        reverse("districts:district_detail", args=[personas.haidian.code]))
    assert chain_url + "?period=year" in officer.content.decode()


def test_the_list_behind_a_count_lists_those_demands(personas, chain):
    client = client_for(personas.district_officer)
    url = reverse("districts:chain", args=[personas.haidian.code, "negotiation"])
    page = client.get(url + "?period=year")
    assert page.status_code == 200
    assert {d.title for d in page.context["object_list"]} == {
        "negotiating", "landed", "landed_elsewhere"}
    assert page.context["counted"] == 3
    plan = client.get(url + "?period=plan")
    assert [d.title for d in plan.context["object_list"]] == ["old"]
    # searchable, and exportable with the same rows
    assert client.get(url + "?period=year&q=negotiating").context["paginator"].count == 1
    export = client.get(url + "?period=year&export=csv")
    assert export.status_code == 200 and export.content.decode("utf-8-sig").count("\n") == 4


@pytest.mark.parametrize("who, code, status", [
    (None, "110108", 302),  # to the sign-in page
    ("manager", "110108", 404),
    ("enterprise", "110108", 404),
    ("district_officer", "110105", 404),  # another district's chain
    ("district_officer", "110108", 200),
    ("municipal_admin", "110105", 200),
])
def test_the_lists_are_for_the_city_and_the_districts_own_officers(personas, chain, who, code,
                                                                    status):
    user = getattr(personas, who) if who else None
    url = reverse("districts:chain", args=[code, "published"])
    assert client_for(user).get(url).status_code == status


def test_an_unknown_step_or_period_is_a_missing_page(personas):
    client = client_for(personas.municipal_admin)
    assert client.get(reverse("districts:chain", args=["110108", "signed"])).status_code == 404
    url = reverse("districts:chain", args=["110108", "published"])
    assert client.get(url + "?period=2019").status_code == 404
