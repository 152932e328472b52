"""The policy library: the city and the districts enter their support policies, a second person
publishes them, the public finds them by search and on each district's page, and each names the
platform rules that carry it out."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.models import District, ObjectChange, WorkflowEvent
from tmhub.core.roles import Role
from tmhub.evaluation.models import EligibilityRule
from tmhub.insights import services
from tmhub.insights.choices import PolicyLevel, PolicyStatus
from tmhub.insights.models import SupportPolicy
from tmhub.transfer.choices import RuleLevel
from tmhub.transfer.models import RewardRule

pytestmark = pytest.mark.django_db

NUMBER = "京科发〔2022〕14号"


def _draft(actor, district=None, **extra):
    fields = {"title": "示例：某区技术经理人支持办法", "issuer": "示例区科委",
              "issued_on": datetime.date(2024, 5, 6),
              "level": PolicyLevel.DISTRICT if district else PolicyLevel.CITY,
              "district": district, "summary": "对技术经理人给予补贴。",
              "full_text": "第一条 示例。", "is_example": True, **extra}
    return services.create_policy(actor=actor, **fields)


def test_the_plan_is_seeded_as_the_citys_policy_with_the_rules_it_calls_for():
    """Given the migrations, the library holds 京科发〔2022〕14号 as a published city policy
    issued on 2022-09-23, its full text the plan's, linked to the city's reward rules (key task
    3: the office share) and every title eligibility rule (key task 4), and no district policy
    (none is on file)."""
    policy = SupportPolicy.objects.get(number=NUMBER)
    assert policy.status == PolicyStatus.PUBLISHED and not policy.is_example
    assert policy.level == PolicyLevel.CITY and policy.district is None
    assert policy.issued_on == datetime.date(2022, 9, 23)
    assert "发挥政策合力" in policy.full_text and "500名左右" in policy.summary
    assert set(policy.reward_rules.all()) == set(RewardRule.objects.filter(level=RuleLevel.CITY))
    assert policy.reward_rules.exists()
    assert set(policy.title_rules.all()) == set(EligibilityRule.objects.all())
    assert not SupportPolicy.objects.filter(level=PolicyLevel.DISTRICT).exists()


def test_a_district_officer_drafts_for_the_district_and_another_person_publishes(personas):
    """Given the Haidian officer, when they draft a Haidian policy, then they cannot publish it
    themselves, the public does not see it, and the city publishes it: public on the library, on
    Haidian's page and in the API, audited with a publication event."""
    haidian = personas.haidian
    policy = _draft(personas.district_officer, haidian)
    assert policy.status == PolicyStatus.DRAFT and policy.drafted_by == personas.district_officer
    with pytest.raises(Http404):
        services.publish_policy(actor=personas.district_officer, policy=policy)
    anonymous = client_for(None)
    assert anonymous.get(policy.get_absolute_url()).status_code == 404
    assert policy.title not in anonymous.get(reverse("insights:policy-list")).content.decode()

    services.publish_policy(actor=personas.municipal_admin, policy=policy)
    page = anonymous.get(policy.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "示例" in page.content.decode()
    district_page = anonymous.get(reverse("insights:policy-district", args=[haidian.code]))
    assert policy.title in district_page.content.decode()
    other = District.objects.exclude(pk=haidian.pk).first()
    assert policy.title not in anonymous.get(
        reverse("insights:policy-district", args=[other.code])).content.decode()
    api = anonymous.get("/api/v1/support-policies/", {"district": haidian.code}).json()
    assert [row["id"] for row in api["results"]] == [policy.pk]
    assert api["results"][0]["is_example"] is True
    assert ObjectChange.objects.filter(object_id=str(policy.pk),
                                       content_type__model="supportpolicy").count() == 2
    assert WorkflowEvent.objects.filter(event_type="insights.policy.published",
                                        object_id=str(policy.pk)).exists()


def test_a_district_officer_cannot_enter_another_district_or_a_city_policy(personas):
    other = District.objects.exclude(pk=personas.haidian.pk).first()
    with pytest.raises(Http404):
        _draft(personas.district_officer, other)
    with pytest.raises(Http404):
        _draft(personas.district_officer, None)
    with pytest.raises(Http404):
        _draft(personas.department_officer, personas.haidian)
    # A Haidian policy the city drafted, the Haidian officer publishes.
    city_draft = _draft(personas.municipal_admin, personas.haidian)
    city_draft = services.publish_policy(actor=personas.district_officer, policy=city_draft)
    assert city_draft.status == PolicyStatus.PUBLISHED


def test_a_policy_gives_its_full_text_or_a_link_and_a_district_policy_its_district(personas):
    with pytest.raises(ValidationError) as caught:
        _draft(personas.municipal_admin, None, full_text="", link="")
    assert "full_text" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.create_policy(actor=personas.municipal_admin, title="t", issuer="i",
                               issued_on=datetime.date(2024, 1, 1), level=PolicyLevel.DISTRICT,
                               district=None, summary="s", link="https://example.cn/p")
    assert "district" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _draft(personas.municipal_admin, None, issued_on=datetime.date(2027, 1, 1))
    assert "issued_on" in caught.value.message_dict


def test_the_library_is_searchable_and_filters_by_level_and_year(personas):
    second = create_user(actor=SYSTEM, username="p_municipal2", password="x" * 16,
                         email="m2@example.cn", display_name="m2")
    grant_membership(actor=SYSTEM, user=second, role=Role.MUNICIPAL_ADMIN)
    district_policy = _draft(personas.municipal_admin, personas.haidian,
                             title="示例：海淀区技术经理人奖励办法")
    services.publish_policy(actor=second, policy=district_policy)
    plan = SupportPolicy.objects.get(number=NUMBER)
    client = client_for(None)
    url = reverse("insights:policy-list")

    def listed(**query):
        html = client.get(url, query).content.decode()
        return {p for p in (plan, district_policy) if f'href="{p.get_absolute_url()}"' in html}

    assert listed() == {plan, district_policy}
    assert listed(q="奖励办法") == {district_policy}
    assert listed(q="14号") == {plan}
    assert listed(level="city") == {plan}
    assert listed(year="2024") == {district_policy}
    assert listed(district=personas.haidian.code) == {district_policy}
    empty = client.get(url, {"q": "没有这样的政策"})
    assert empty.status_code == 200
    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


def test_the_drafter_may_not_publish_and_a_withdrawal_needs_a_reason(personas):
    policy = _draft(personas.municipal_admin, None)
    client = client_for(personas.municipal_admin)
    assert client.post(reverse("insights:policy-publish", args=[policy.pk])).status_code == 404
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.DRAFT
    services.publish_policy(actor=SYSTEM, policy=policy)
    response = client.post(reverse("insights:policy-withdraw", args=[policy.pk]), {"reason": ""})
    assert response.status_code == 400
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.PUBLISHED
    response = client.post(reverse("insights:policy-withdraw", args=[policy.pk]),
                           {"reason": "已废止"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.status == PolicyStatus.WITHDRAWN
    assert client_for(None).get(policy.get_absolute_url()).status_code == 404


def test_the_form_enters_a_policy_with_its_rules(personas):
    rule = RewardRule.objects.filter(level=RuleLevel.CITY).first()
    client = client_for(personas.district_officer)
    url = reverse("insights:policy-create")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    bad = client.post(url, {"title": "x"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    assert not SupportPolicy.objects.filter(title="x").exists()
    response = client.post(url, {
        "title": "示例：海淀区支持办法", "issuer": "示例", "issued_on": "2024-03-01",
        "level": "district", "district": personas.haidian.pk, "summary": "摘要",
        "link": "https://example.cn/policy", "reward_rules": [rule.pk]})
    assert response.status_code == 302
    policy = SupportPolicy.objects.get(title="示例：海淀区支持办法")
    assert list(policy.reward_rules.all()) == [rule] and policy.district == personas.haidian
    detail = client.get(policy.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert rule.name in detail.content.decode()
