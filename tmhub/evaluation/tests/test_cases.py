"""The case library (issue 17 items 5 and 8): a case drafted from a landed project states the
records' figures (checked against independent sums over the records), other projects are
refused, the drafter does not approve their own case, publication needs the parties' consent,
the figures are a snapshot refreshed only by an audited step, and the public never reads a
withheld figure — not in the page, the API or the data embedded in the page."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.evaluation.case_choices import CaseEvent
from tmhub.evaluation.case_choices import CaseStatus as C
from tmhub.evaluation.models import TransferCase
from tmhub.evaluation.services import cases as services
from tmhub.evaluation.tests.case_helpers import NARRATIVE, consent_all, draft, landed_project
from tmhub.evaluation.tests.case_helpers import publish as publish_case
from tmhub.transfer.rewards_engine import format_fen

FLAGS = ("withhold_contract_value", "withhold_income", "withhold_rewards",
         "withhold_financing")


@pytest.fixture
def landed(personas):
    return landed_project(personas)


def _money(project) -> dict:
    """Each confidential figure of `project`, summed straight from the records."""
    from tmhub.districts.models import Landing
    from tmhub.network.models import Financing
    from tmhub.transfer.models import Contract, Receipt, RewardSplit

    splits = RewardSplit.objects.filter(contract__project=project, status="approved")
    contract_landings = Landing.objects.filter(project=project, kind="contract")
    investments = Landing.objects.filter(project=project, kind="investment")
    return {
        "withhold_contract_value": {
            *Contract.objects.filter(project=project).values_list("amount_fen", flat=True),
            Contract.objects.filter(project=project).aggregate(s=Sum("amount_fen"))["s"],
            *contract_landings.values_list("amount_fen", flat=True)},
        "withhold_income": {
            Receipt.objects.filter(contract__project=project).aggregate(
                s=Sum("amount_fen"))["s"]},
        "withhold_rewards": set(splits.aggregate(
            a=Sum("amount_fen"), t=Sum("team_fen"), o=Sum("office_fen"),
            i=Sum("institution_fen")).values()),
        "withhold_financing": {
            *Financing.objects.filter(project=project).values_list("amount_fen", flat=True),
            *investments.values_list("amount_fen", flat=True)},
    }


def _numbers(data) -> set:
    """Every number anywhere in a JSON value."""
    if isinstance(data, dict):
        return set().union(*(_numbers(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_numbers(v) for v in data)) if data else set()
    return {data} if isinstance(data, int) and not isinstance(data, bool) else set()


# ---------------------------------------------------------------- drafting
@pytest.mark.django_db
def test_given_a_landed_project_when_drafted_then_the_case_states_the_records_figures(
        personas, landed):
    from tmhub.districts.models import Landing
    from tmhub.network.models import Financing
    from tmhub.transfer.models import ContractParty, ProjectAssignment, Receipt, RewardSplit

    case = draft(personas, landed)
    facts = case.facts

    assert case.status == C.DRAFT and case.institution_id == landed.institution_id
    assert facts["contract_value_fen"] == landed.contracts.aggregate(
        s=Sum("amount_fen"))["s"]
    assert facts["income"]["received_fen"] == Receipt.objects.filter(
        contract__project=landed).aggregate(s=Sum("amount_fen"))["s"]
    approved = RewardSplit.objects.filter(contract__project=landed, status="approved")
    assert facts["rewards"]["statements"] == approved.count() == 1
    assert facts["rewards"]["team_fen"] == approved.aggregate(s=Sum("team_fen"))["s"]
    assert facts["rewards"]["institution_fen"] == approved.aggregate(
        s=Sum("institution_fen"))["s"]
    # the draft split is not counted
    assert facts["rewards"]["amount_fen"] != RewardSplit.objects.filter(
        contract__project=landed).aggregate(s=Sum("amount_fen"))["s"]
    assert facts["financing"]["total_fen"] == Financing.objects.effective().filter(
        project=landed).aggregate(s=Sum("amount_fen"))["s"]
    assert len(facts["landings"]) == Landing.objects.filter(project=landed).count() == 2
    assert {m["user"] for m in facts["managers"]} == set(
        ProjectAssignment.objects.filter(project=landed).values_list("user_id", flat=True))
    assert {p["organization"] for p in facts["parties"]} == {landed.institution_id} | set(
        ContractParty.objects.filter(contract__project=landed)
        .values_list("organization_id", flat=True))
    assert [s["stage"] for s in facts["stages"]][-2:] == ["transaction", "landing"]
    assert facts["project"]["landed_on"] == landed.landed_on.isoformat()
    assert case.contract_kind == "licence" and case.transfer_mode == "licence"
    # the drafting is audited
    assert ObjectChange.objects.filter(object_id=str(case.pk), action="create").exists()


@pytest.mark.django_db
def test_given_a_project_still_negotiating_then_no_case_is_drafted(personas):
    from tmhub.transfer.services import create_project

    project = create_project(actor=personas.manager, institution=personas.university,
                             title="仍在谈判的项目")
    with pytest.raises(ValidationError) as refused:
        draft(personas, project)
    assert refused.value.error_dict["project"][0].code == "project_not_concluded"
    assert not TransferCase.objects.exists()


@pytest.mark.django_db
def test_given_a_project_of_another_institution_then_its_administrator_cannot_draft(
        personas, landed):
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM

    other = create_user(actor=SYSTEM, username="p_other_tto", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=other, role="institution_admin",
                     organization=personas.other_university)
    with pytest.raises(ValidationError) as refused:
        draft(personas, landed, actor=other)
    assert refused.value.error_dict["project"][0].code == "project_not_yours"


# ---------------------------------------------------------------- the workflow's rules
@pytest.mark.django_db
def test_given_an_administrator_drafted_the_case_then_they_cannot_approve_it(personas, landed):
    case = draft(personas, landed, actor=personas.institution_admin)
    case = services.step_case(case, C.SUBMITTED, actor=personas.institution_admin)
    with pytest.raises(ValidationError) as refused:
        services.step_case(case, C.INSTITUTION_REVIEWED, actor=personas.institution_admin)
    assert refused.value.code == "same_person_approval"
    case.refresh_from_db()
    assert case.status == C.SUBMITTED


@pytest.mark.django_db
def test_given_the_city_drafted_the_case_then_it_cannot_review_it_for_the_city(personas,
                                                                               landed):
    case = draft(personas, landed, actor=personas.municipal_admin)
    case = services.step_case(case, C.SUBMITTED, actor=personas.municipal_admin)
    case = services.step_case(case, C.INSTITUTION_REVIEWED, actor=personas.institution_admin)
    with pytest.raises(ValidationError) as refused:
        services.step_case(case, C.CITY_REVIEWED, actor=personas.municipal_admin)
    assert refused.value.code == "same_person_approval"


@pytest.mark.django_db
def test_given_no_consent_then_publication_is_refused_until_every_party_consented(
        personas, landed):
    case = draft(personas, landed)
    case = services.step_case(case, C.SUBMITTED, actor=personas.manager)
    case = services.step_case(case, C.INSTITUTION_REVIEWED, actor=personas.institution_admin)
    case = services.step_case(case, C.CITY_REVIEWED, actor=personas.municipal_admin)
    with pytest.raises(ValidationError) as refused:
        services.step_case(case, C.PUBLISHED, actor=personas.municipal_admin)
    assert refused.value.code == "consent_missing"
    assert personas.company.name in refused.value.messages[0]

    consent_all(personas, case)
    case = services.step_case(case, C.PUBLISHED, actor=personas.municipal_admin)
    assert case.status == C.PUBLISHED and case.published_at is not None


@pytest.mark.django_db
def test_a_consent_needs_evidence_and_a_party_of_the_case(personas, landed):
    import datetime

    case = draft(personas, landed)
    with pytest.raises(ValidationError) as no_evidence:
        services.record_consent(case, actor=personas.institution_admin, party=personas.company,
                                consented_by="周经理", consented_on=datetime.date(2025, 5, 1))
    assert no_evidence.value.error_dict["note"][0].code == "consent_evidence_missing"
    with pytest.raises(ValidationError) as stranger:
        services.record_consent(case, actor=personas.institution_admin, party=personas.hospital,
                                consented_by="某人", consented_on=datetime.date(2025, 5, 1),
                                note="口头同意")
    assert stranger.value.error_dict["party"][0].code == "party_not_in_case"


@pytest.mark.django_db
def test_a_returned_case_carries_the_comments_and_is_resubmitted(personas, landed):
    case = draft(personas, landed)
    case = services.step_case(case, C.SUBMITTED, actor=personas.manager)
    with pytest.raises(ValidationError):
        services.step_case(case, C.RETURNED, actor=personas.institution_admin)  # no comments
    case = services.step_case(case, C.RETURNED, actor=personas.institution_admin,
                              reason="请补充谈判过程中的关键分歧。")
    assert WorkflowEvent.objects.filter(event_type=CaseEvent.RETURNED,
                                        reason__contains="关键分歧").exists()
    case = services.update_case(case, actor=personas.manager,
                                actions_zh=NARRATIVE["actions_zh"] + "双方就许可费率反复协商。")
    case = services.step_case(case, C.SUBMITTED, actor=personas.manager)
    assert case.status == C.SUBMITTED


@pytest.mark.django_db
def test_the_figures_are_a_snapshot_read_again_only_by_an_audited_step(personas, landed):
    from tmhub.transfer.services import record_receipt

    case = draft(personas, landed)
    before = case.facts["income"]["received_fen"]
    contract = landed.contracts.get()
    import datetime

    record_receipt(contract, actor=personas.institution_admin,
                   received_on=datetime.date(2025, 6, 1), amount_fen=5_000_000)
    case.refresh_from_db()
    assert case.facts["income"]["received_fen"] == before  # a snapshot, not a live reading

    case = services.refresh_facts(case, actor=personas.manager)
    assert case.facts["income"]["received_fen"] == before + 5_000_000
    assert WorkflowEvent.objects.filter(event_type=CaseEvent.FACTS_REFRESHED,
                                        object_id=str(case.pk)).exists()
    change = ObjectChange.objects.filter(object_id=str(case.pk), action="update").latest("pk")
    assert change.before["facts"]["income"]["received_fen"] == before

    # once submitted, the figures under review no longer move
    case = services.step_case(case, C.SUBMITTED, actor=personas.manager)
    with pytest.raises(Http404):
        services.refresh_facts(case, actor=personas.manager)


@pytest.mark.django_db
def test_published_cases_for_manager_lists_the_cases_of_their_projects(personas, landed):
    case = publish_case(personas, draft(personas, landed))
    draft(personas, landed)  # a second case, still a draft
    assert list(services.published_cases_for_manager(personas.manager)) == [case]
    assert not services.published_cases_for_manager(personas.institution_admin).exists()


# ---------------------------------------------------------------- withheld figures
def _public_views(client, case):
    page = client.get(case.get_public_url()).content.decode()
    embedded = json.loads(re.search(
        r'<script id="case-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    api = client.get(reverse("case-detail", args=[case.pk])).json()
    listing = client.get(reverse("case-list")).json()
    return page, embedded, api, listing


@pytest.mark.django_db
def test_given_any_withheld_flags_the_public_never_reads_a_withheld_figure(personas, landed):
    from django.test import Client

    case = publish_case(personas, draft(personas, landed))
    money = _money(landed)
    anonymous = Client()

    @settings(max_examples=16, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(st.fixed_dictionaries({flag: st.booleans() for flag in FLAGS}))
    def check(flags):
        nonlocal case
        case = services.step_case(case, C.UNPUBLISHED, actor=personas.municipal_admin,
                                  reason="调整保密设置")
        case = services.step_case(case, C.DRAFT, actor=personas.manager)
        case = services.update_case(case, actor=personas.manager, **flags)
        case = publish_case(personas, case)
        page, embedded, api, listing = _public_views(anonymous, case)
        public_numbers = _numbers(embedded) | _numbers(api) | _numbers(listing)
        for flag, amounts in money.items():
            amounts = {a for a in amounts if a}
            shown_in_page = {a for a in amounts if format_fen(a) in page}
            if flags[flag]:
                assert not shown_in_page, (flag, shown_in_page)
                assert not amounts & public_numbers, (flag, amounts & public_numbers)
            else:
                assert shown_in_page == amounts, (flag, amounts - shown_in_page)
                assert amounts <= _numbers(api["facts"])

    check()


@pytest.mark.django_db
def test_the_editors_read_the_withheld_figures_and_the_public_page_shows_none(personas,
                                                                              landed, client):
    from conftest import client_for

    case = publish_case(personas, draft(personas, landed))
    total = format_fen(case.facts["contract_value_fen"])
    editor = client_for(personas.institution_admin)
    assert total in editor.get(case.get_absolute_url()).content.decode()
    assert editor.get(reverse("case-detail", args=[case.pk])).json()["facts"][
        "contract_value_fen"] == case.facts["contract_value_fen"]
    # the public page is the public's for everyone, editors included
    assert total not in editor.get(case.get_public_url()).content.decode()
    # other signed-in people read the public figures only
    other = client_for(personas.enterprise)
    assert "contract_value_fen" not in other.get(
        reverse("case-detail", args=[case.pk])).json()["facts"]
    assert other.get(case.get_absolute_url()).status_code == 404


# ---------------------------------------------------------------- public pages
@pytest.mark.django_db
def test_the_public_library_searches_filters_and_says_when_nothing_matches(personas, landed,
                                                                           client):
    url = reverse("evaluation:case-list")
    assert "no-cases" in client.get(url).content.decode()
    case = publish_case(personas, draft(personas, landed))
    draft(personas, landed, title_zh="未发布的草稿案例")
    page = client.get(url).content.decode()
    assert case.title_zh in page and "未发布的草稿案例" not in page
    assert case.title_zh in client.get(url + "?q=许可谈判").content.decode()
    assert case.title_zh not in client.get(url + "?q=疫苗").content.decode()
    assert case.title_zh in client.get(url + "?transfer_mode=licence").content.decode()
    assert case.title_zh not in client.get(url + "?transfer_mode=equity").content.decode()
    assert case.title_zh not in client.get(url + "?contract_kind=service").content.decode()


@pytest.mark.django_db
def test_the_english_page_falls_back_to_the_chinese_with_a_notice(personas, landed, client):
    from django.conf import settings as django_settings

    case = publish_case(personas, draft(personas, landed))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(case.get_public_url()).content.decode()
    assert "fallback-notice" in page and NARRATIVE["background_zh"] in page
    case = services.step_case(case, C.UNPUBLISHED, actor=personas.municipal_admin,
                              reason="补充英文版")
    case = services.step_case(case, C.DRAFT, actor=personas.manager)
    services.update_case(case, actor=personas.manager, title_en="Licensing a solid electrolyte",
                         background_en="The result had stayed in the lab.",
                         actions_en="The managers mapped the patents.",
                         lessons_en="Bring the company in early.")
    case = publish_case(personas, TransferCase.objects.get(pk=case.pk))
    page = client.get(case.get_public_url()).content.decode()
    assert "fallback-notice" not in page and "Licensing a solid electrolyte" in page
