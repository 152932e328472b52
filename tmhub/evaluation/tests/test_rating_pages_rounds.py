"""Given the city and an institution's administrator, when they use the rating pages, then a
draft's weights are edited on one page with an error on each weight of a level not summing to
100, a node is edited through its own form (a published version's pages are 404), a round is
set up with a subject filter (or internally, with a purpose), the city suspends a round from
its page, accreditations are kept on theirs, and the evaluation home page links the rating
pages each role uses (issue 17 items 3 and 6a)."""

import datetime

import pytest
from django.test import Client

from conftest import client_for
from tmhub.evaluation.models import RatingRound
from tmhub.evaluation.rating_choices import RoundRunner, RoundStatus
from tmhub.evaluation.services import ratings
from tmhub.evaluation.tests.rating_helpers import CUTOFF, START, small_system

pytestmark = pytest.mark.django_db


def test_the_weights_page_puts_the_error_on_each_weight_of_the_level(personas):
    city = personas.municipal_admin
    draft = small_system(city, publish=False)
    web = client_for(city)
    url = f"/evaluation/ratings/systems/{draft.pk}/weights/"
    nodes = {i.code: i for i in draft.indicators.all()}
    data = {f"weight_{i.pk}": str(i.weight) for i in nodes.values()}
    data[f"weight_{nodes['deals'].pk}"] = "70"  # 70 + 50 under 业绩
    page = web.post(url, data)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.errors[f"weight_{nodes['deals'].pk}"] and form.errors[f"weight_{nodes['value'].pk}"]
    assert f"weight_{nodes['results'].pk}" not in form.errors  # the top level sums to 100
    assert "120%" in page.content.decode()
    data[f"weight_{nodes['value'].pk}"] = "30"
    assert web.post(url, data).status_code == 302
    nodes["deals"].refresh_from_db()
    assert nodes["deals"].weight == 70


def test_an_indicator_is_edited_on_its_form_and_a_published_one_is_frozen(personas):
    city = personas.municipal_admin
    draft = small_system(city, publish=False)
    expert = draft.indicators.get(code="expert")
    web = client_for(city)
    url = f"/evaluation/ratings/indicators/{expert.pk}/edit/"
    page = web.get(url)
    assert page.status_code == 200 and "专家评分" in page.content.decode()
    answer = web.post(url, {"code": "expert", "kind": "scored", "name_zh": "专家综合评分",
                            "parent": "review", "weight": "100", "order": "1"})
    assert answer.status_code == 302
    expert.refresh_from_db()
    assert expert.name_zh == "专家综合评分"
    published = small_system(city, code="published-one")
    frozen = published.indicators.get(code="expert")
    assert web.get(f"/evaluation/ratings/indicators/{frozen.pk}/edit/").status_code == 404
    assert web.get(f"/evaluation/ratings/systems/{published.pk}/weights/").status_code == 404


def test_a_round_is_set_up_with_a_filter_and_internally_with_a_purpose(personas):
    city = personas.municipal_admin
    system = small_system(city)
    page = client_for(city).post("/evaluation/ratings/rounds/new/", {
        "name": "海淀评价", "period_start": str(START), "period_end": str(CUTOFF),
        "manager_system": system.pk, "objection_days": 15, "organization": "",
        "districts": [personas.haidian.pk], "institution_kinds": ["university"]})
    assert page.status_code == 302, page.context["form"].errors
    round_ = RatingRound.objects.get(name="海淀评价")
    assert round_.runner == RoundRunner.CITY
    assert round_.subject_filter == {"districts": [personas.haidian.pk],
                                     "institution_kinds": ["university"]}
    detail = client_for(city).get(round_.get_absolute_url()).content.decode()
    assert "海淀" in detail and "round-filter" in detail
    admin = client_for(personas.institution_admin)
    form_page = admin.get("/evaluation/ratings/rounds/new/")
    assert form_page.status_code == 200
    values = {"name": "内部聘任评价", "period_start": str(START), "period_end": str(CUTOFF),
              "manager_system": system.pk, "objection_days": 10,
              "organization": str(personas.university.pk)}
    page = admin.post("/evaluation/ratings/rounds/new/", values)
    assert page.status_code == 200 and "purpose" in page.context["form"].errors
    page = admin.post("/evaluation/ratings/rounds/new/", {**values, "purpose": "appointment"})
    assert page.status_code == 302
    internal = RatingRound.objects.get(name="内部聘任评价")
    assert (internal.runner, internal.organization, internal.purpose) == (
        RoundRunner.INTERNAL, personas.university, "appointment")
    # another institution's people may not open the page at all
    assert client_for(personas.enterprise).get(
        "/evaluation/ratings/rounds/new/").status_code == 404


def test_the_city_suspends_an_internal_round_from_its_page(personas):
    city = personas.municipal_admin
    round_ = ratings.create_round(actor=personas.institution_admin, name="内部考核",
                                  period_start=START, period_end=CUTOFF,
                                  manager_system=small_system(city),
                                  organization=personas.university,
                                  purpose="performance_review")
    page = client_for(city).get(round_.get_absolute_url()).content.decode()
    assert "/step/suspended/" in page
    url = f"/evaluation/ratings/rounds/{round_.pk}/step/suspended/"
    client_for(city).post(url, {"reason": ""})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT  # a reason is required
    client_for(city).post(url, {"reason": "材料不全"})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.SUSPENDED
    assert client_for(personas.manager).post(
        f"/evaluation/ratings/rounds/{round_.pk}/step/open/").status_code == 404


def test_accreditations_are_kept_by_the_city_on_their_page(personas):
    from tmhub.core.actors import SYSTEM
    from tmhub.core.choices import OrgKind
    from tmhub.orgs.services import create_organization

    org = create_organization(actor=SYSTEM, name="北京测试人才评价中心",
                              kind=OrgKind.EVALUATION_ORG, district=personas.haidian,
                              credit_code=None, contact_phone="010-62780001",
                              contact_email="eval@example.cn")
    web = client_for(personas.municipal_admin)
    assert web.post("/evaluation/ratings/accreditations/new/", {
        "organization": org.pk, "reference": "京科发〔2026〕9号",
        "valid_from": "2026-01-01", "valid_until": "2025-01-01"}).status_code == 200
    assert web.post("/evaluation/ratings/accreditations/new/", {
        "organization": org.pk, "reference": "京科发〔2026〕9号",
        "valid_from": "2026-01-01"}).status_code == 302
    page = web.get("/evaluation/ratings/accreditations/?q=评价中心").content.decode()
    assert "京科发〔2026〕9号" in page and "rating-accreditation-revoke" not in page
    assert client_for(personas.institution_admin).get(
        "/evaluation/ratings/accreditations/new/").status_code == 404
    accreditation = org.accreditations.get()
    web.post(f"/evaluation/ratings/accreditations/{accreditation.pk}/revoke/",
             {"reason": "到期未复核"})
    accreditation.refresh_from_db()
    assert accreditation.revoked_at is not None and accreditation.revoke_reason == "到期未复核"
    assert accreditation.in_force_on(datetime.date(2026, 6, 1)) is False


def test_the_home_page_links_the_rating_pages_each_role_uses(personas):
    home = "/evaluation/"
    city = client_for(personas.municipal_admin).get(home).content.decode()
    assert 'id="rounds-link"' in city and 'id="accreditations-link"' in city
    reviewer = client_for(personas.reviewer).get(home).content.decode()
    assert 'id="rating-reviews-link"' in reviewer and 'id="accreditations-link"' not in reviewer
    manager = client_for(personas.manager).get(home).content.decode()
    assert 'id="ratings-link"' in manager
    anonymous = Client().get(home).content.decode()
    assert 'id="systems-link"' in anonymous and 'id="rounds-link"' not in anonymous
