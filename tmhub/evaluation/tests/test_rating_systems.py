"""Given indicator systems, when the city edits, publishes and copies them, then weights off
100 are refused naming the node, a published version refuses every change (service and
model), a new version is a draft copy; and a rated subject's objection is resolved by the
city, audited, an upheld one recomputing the rating."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from conftest import client_for
from tmhub.core.models import WorkflowEvent
from tmhub.evaluation.models import FrozenVersionError, Indicator, IndicatorSystem, Rating
from tmhub.evaluation.rating_choices import IndicatorKind, RatingEvent, SystemStatus
from tmhub.evaluation.services import indicators as systems
from tmhub.evaluation.services import ratings
from tmhub.evaluation.tests.rating_helpers import (
    computed_round,
    registered_manager,
    small_system,
    template,
)

pytestmark = pytest.mark.django_db


def test_the_seeded_templates_are_published_templates_with_the_spec_weights():
    manager, institution = template("manager"), template("institution")
    assert manager.is_template and manager.is_published and "模板" in manager.basis
    assert [i.name_zh for i in manager.indicators.filter(parent=None)] == [
        "资质学历", "专业素质", "业务能力", "从业经历", "服务业绩"]
    tops = {i.name_zh: i.weight for i in institution.indicators.filter(parent=None)}
    assert tops == {"基础条件": 10, "服务绩效": 30, "服务能力": 30, "规范管理": 20, "社会信誉": 10}
    for system in (manager, institution):
        assert systems.publication_errors(system) == {}


def test_weights_not_summing_to_100_are_refused_naming_the_node(personas):
    city = personas.municipal_admin
    system = small_system(city, publish=False)
    systems.update_indicator(system.indicators.get(code="value"), actor=city, weight=40)
    with pytest.raises(ValidationError) as refused:
        systems.publish_system(system, actor=city)
    assert "weight" in refused.value.error_dict
    message = refused.value.message_dict["weight"][0]
    assert "业绩" in message and "90" in message
    assert refused.value.error_dict["weight"][0].code == "weights_not_100"
    system.refresh_from_db()
    assert system.status == SystemStatus.DRAFT


def test_a_published_version_is_frozen_and_a_new_version_is_a_draft_copy(personas):
    city = personas.municipal_admin
    system = small_system(city)
    leaf = system.indicators.get(code="deals")
    with pytest.raises(FrozenVersionError):
        systems.update_indicator(leaf, actor=city, weight=10)
    with pytest.raises(FrozenVersionError):
        systems.add_indicator(system, actor=city, code="x", name_zh="新", weight=1,
                              kind=IndicatorKind.SCORED)
    with pytest.raises(FrozenVersionError):
        systems.update_system(system, actor=city, name_zh="改名")
    # and the model itself, whoever calls it
    leaf.weight = Decimal(10)
    with pytest.raises(FrozenVersionError):
        leaf.save()
    with pytest.raises(FrozenVersionError):
        leaf.delete()
    system.name_zh = "改名"
    with pytest.raises(FrozenVersionError):
        system.save()
    assert Indicator.objects.get(pk=leaf.pk).weight == Decimal(50)
    copy = systems.new_version(system, actor=city)
    assert (copy.version, copy.status, copy.copied_from_id) == (2, SystemStatus.DRAFT,
                                                                system.pk)
    assert sorted(copy.indicators.values_list("code", "weight", "parent__code")) == sorted(
        system.indicators.values_list("code", "weight", "parent__code"))
    systems.update_indicator(copy.indicators.get(code="deals"), actor=city, weight=30)
    systems.update_indicator(copy.indicators.get(code="value"), actor=city, weight=70)
    assert systems.publish_system(copy, actor=city).is_published


def test_only_the_city_keeps_the_systems(personas):
    with pytest.raises(Http404):
        systems.create_system(actor=personas.institution_admin, code="x", name_zh="x",
                              subject_kind="manager")
    with pytest.raises(Http404):
        systems.new_version(template(), actor=personas.manager)


def test_objection_flow_upheld_recomputes_rejected_needs_a_reason(
        personas, django_capture_on_commit_callbacks):
    from tmhub.transfer import services as transfer
    from tmhub.transfer.choices import ContractKind, PartyRole

    city = personas.municipal_admin
    manager = registered_manager(personas)
    round_ = computed_round(city, small_system(city),
                            capture=django_capture_on_commit_callbacks)
    round_ = ratings.step_round(round_, "published", actor=city)
    rating = Rating.objects.get(round=round_, manager=manager)
    assert rating.total == 0
    # the institution administrator reads the rating but may not object for the manager
    with pytest.raises(Http404):
        ratings.file_objection(rating, actor=personas.institution_admin, text="x")
    objection = ratings.file_objection(rating, actor=manager, text="漏计了3月签订的合同。")
    with pytest.raises(ValidationError):
        ratings.file_objection(rating, actor=manager, text="再次")
    with pytest.raises(ValidationError) as refused:
        ratings.resolve_objection(objection, actor=city, upheld=False)
    assert refused.value.error_dict["resolution"][0].code == "reason_required"
    # the missing contract is recorded (dated within the period); upheld: rated again
    project = transfer.create_project(actor=personas.institution_admin,
                                      institution=personas.university, title="补录项目",
                                      lead=manager)
    transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title="许可合同", kind=ContractKind.LICENCE, amount_fen=1_000_000,
        signed_on=datetime.date(2026, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])
    with pytest.raises(Http404):
        ratings.resolve_objection(objection, actor=personas.institution_admin, upheld=True)
    objection = ratings.resolve_objection(objection, actor=city, upheld=True,
                                          resolution="已补录合同，重新计算。")
    rating.refresh_from_db()
    assert objection.total_before == 0 and rating.total == Decimal("48.00")  # 60% × (30 + 50)
    event = WorkflowEvent.objects.get(event_type=RatingEvent.OBJECTION_UPHELD)
    assert event.data["total_after"] == "48.00"


def test_the_api_scopes_ratings_and_explains_them(personas, django_capture_on_commit_callbacks):
    city = personas.municipal_admin
    manager = registered_manager(personas)
    round_ = computed_round(city, small_system(city),
                            capture=django_capture_on_commit_callbacks)
    rating = Rating.objects.get(round=round_, manager=manager)
    url = f"/api/v1/ratings/{rating.pk}/"
    # before publication only the city reads it
    assert client_for(manager).get(url).status_code == 404
    assert client_for(city).get(url).status_code == 200
    ratings.step_round(round_, "published", actor=city)
    body = client_for(manager).get(url).json()
    rows = {row["code"]: row for row in body["explanation"]}
    assert rows["deals"]["metric_key"] == "transfer_deals"
    assert rows["deals"]["records_url"].startswith("/transfer/contracts/")
    assert client_for(personas.institution_admin).get(url).status_code == 200
    assert client_for(personas.enterprise).get(url).status_code == 404
    assert client_for(personas.manager).get("/api/v1/ratings/").json()["count"] == 1
    # a draft system with weights off 100: the API answers the field error
    draft = small_system(city, code="api-draft", publish=False)
    systems.update_indicator(draft.indicators.get(code="value"), actor=city, weight=10)
    answer = client_for(city).post(f"/api/v1/indicator-systems/{draft.pk}/publish/")
    assert answer.status_code == 400
    assert "weight" in answer.json()["fields"]
    assert IndicatorSystem.objects.get(pk=draft.pk).status == SystemStatus.DRAFT


def test_the_rating_and_round_pages_show_the_explanation_and_progress(
        personas, django_capture_on_commit_callbacks):
    city = personas.municipal_admin
    manager = registered_manager(personas)
    round_ = computed_round(city, small_system(city),
                            capture=django_capture_on_commit_callbacks)
    ratings.step_round(round_, "published", actor=city)
    rating = Rating.objects.get(round=round_, manager=manager)
    page = client_for(manager).get(f"/evaluation/ratings/{rating.pk}/").content.decode()
    assert "成交项目" in page and "objection-form" in page
    page = client_for(city).get(f"/evaluation/ratings/rounds/{round_.pk}/").content.decode()
    assert "round-progress" in page and "100%" in page
