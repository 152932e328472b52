"""Writes only with permission (issue 9 items 3, 4, 8): the services refuse, nothing changes,
and a hidden record referenced through the API reads exactly like a missing one."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange
from tmhub.transfer import services
from tmhub.transfer.choices import ContractKind, PartyRole, SplitStatus
from tmhub.transfer.models import Contract, Project, ProjectAssignment, RewardSplit
from tmhub.transfer.tests.chain import make_achievement, make_chain, make_team

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321


@pytest.fixture
def chain(personas):
    return make_chain(personas)


@pytest.fixture
def team(personas):
    return make_team(personas)


def _code(exc):
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


def _changes():
    return ObjectChange.objects.count()


# --- a released manager cannot cancel the project's draft split --------------------------------

def test_a_released_manager_cannot_cancel_the_draft_split(personas, team):
    before = _changes()
    with pytest.raises(Http404):
        services.cancel_split(team.left_split, actor=personas.manager, reason="不再参与")
    assert RewardSplit.objects.get(pk=team.left_split.pk).status == SplitStatus.DRAFT
    assert _changes() == before


def test_a_released_manager_cannot_change_the_draft_split(personas, team):
    with pytest.raises(Http404):
        services.update_split(team.left_split, actor=personas.manager, notes="改一下")
    assert RewardSplit.objects.get(pk=team.left_split.pk).notes == ""


def test_the_institution_still_cancels_it(personas, team):
    split = services.cancel_split(team.left_split, actor=personas.institution_admin,
                                  reason="重复登记")
    assert split.status == SplitStatus.CANCELLED


def test_the_cancel_page_answers_404_to_the_released_manager(personas, team):
    url = reverse("transfer:split-cancel", args=[team.left_split.pk])
    response = client_for(personas.manager).post(url, {"reason": "不再参与"})
    assert response.status_code == 404
    assert RewardSplit.objects.get(pk=team.left_split.pk).status == SplitStatus.DRAFT


# --- a supporting manager cannot release the lead ------------------------------------------

def test_a_supporting_manager_cannot_release_the_lead(personas, team):
    before = _changes()
    with pytest.raises(Http404):
        services.release_manager(team.lead_assignment, actor=personas.manager)
    assert ProjectAssignment.objects.get(pk=team.lead_assignment.pk).released_on is None
    assert _changes() == before
    response = client_for(personas.manager).post(
        reverse("transfer:project-release", args=[team.lead_assignment.pk]))
    assert response.status_code == 404
    assert ProjectAssignment.objects.get(pk=team.lead_assignment.pk).released_on is None


def test_the_project_page_offers_release_only_where_it_works(personas, team):
    page = client_for(personas.manager).get(
        reverse("transfer:project-detail", args=[team.project.pk])).content.decode()
    assert reverse("transfer:project-release", args=[team.support_assignment.pk]) in page
    assert reverse("transfer:project-release", args=[team.lead_assignment.pk]) not in page


def test_a_manager_leaves_on_their_own_and_the_lead_and_the_institution_release(
    personas, team
):
    services.release_manager(team.support_assignment, actor=personas.manager)
    assert ProjectAssignment.objects.get(pk=team.support_assignment.pk).released_on
    again = services.assign_manager(team.project, actor=personas.institution_admin,
                                    user=personas.manager)
    services.release_manager(again, actor=team.lead)  # the lead manages the team
    assert ProjectAssignment.objects.get(pk=again.pk).released_on
    services.release_manager(team.lead_assignment, actor=personas.institution_admin)
    assert ProjectAssignment.objects.get(pk=team.lead_assignment.pk).released_on


# --- a manager records contracts only for a project they work on ----------------------------

CONTRACT = {
    "title": "技术服务合同",
    "kind": ContractKind.SERVICE,
    "amount_fen": 500_000,
    "signed_on": datetime.date(2025, 6, 1),
}


def test_a_manager_cannot_record_a_contract_without_a_project(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_contract(actor=personas.manager, institution=personas.university,
                                 **CONTRACT)
    assert _code(caught.value) == "project_required"
    assert not Contract.objects.exists()


def test_a_manager_cannot_record_a_contract_for_a_project_they_left(personas, team):
    with pytest.raises(ValidationError) as caught:
        services.create_contract(actor=personas.manager, institution=personas.university,
                                 project=team.left_project, **CONTRACT)
    assert _code(caught.value) == "not_on_project"
    assert not Contract.objects.filter(title=CONTRACT["title"]).exists()


def test_what_a_manager_records_they_can_see(personas, team):
    contract = services.create_contract(actor=personas.manager, institution=personas.university,
                                        project=team.project, **CONTRACT)
    assert Contract.objects.restrict(personas.manager).filter(pk=contract.pk).exists()
    admin_only = services.create_contract(
        actor=personas.institution_admin, institution=personas.university,
        **{**CONTRACT, "title": "无项目合同"})
    assert admin_only.project is None


def test_a_manager_without_a_project_is_refused_on_the_page(personas):
    response = client_for(personas.manager).post(reverse("transfer:contract-create"), {
        "institution": personas.university.pk, "title": "无项目", "kind": "service",
        "counterparty": personas.company.pk, "amount": "100", "currency": "CNY",
        "signed_on": "2025-06-01",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["project"]
    assert not Contract.objects.exists()


# --- party roles and party organisations -------------------------------------------------------

def test_a_party_role_outside_the_choices_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_contract(
            actor=personas.institution_admin, institution=personas.university,
            parties=[(personas.company, "king")], **CONTRACT)
    assert _code(caught.value) == "invalid_party_role"
    assert not Contract.objects.exists()


@pytest.mark.parametrize("organization", [MISSING_ID, 10**30, -1, "x", None])
def test_a_party_organisation_that_does_not_exist_is_a_field_error(personas, organization):
    client = client_for(personas.institution_admin)
    response = client.post(reverse("contract-list"), {
        "title": "接口合同", "kind": "licence", "institution": personas.university.pk,
        "amount_fen": 1000, "signed_on": "2025-06-01",
        "party_list": [{"organization": organization, "role": PartyRole.BUYER}],
    }, content_type="application/json")
    assert response.status_code == 400
    assert "party_list.0.organization" in response.json()["fields"]
    assert not Contract.objects.exists()


@pytest.mark.parametrize("counterparty", [str(MISSING_ID), str(10**30), "x"])
def test_a_counterparty_that_does_not_exist_is_a_form_error(personas, counterparty):
    response = client_for(personas.institution_admin).post(reverse("transfer:contract-create"), {
        "institution": personas.university.pk, "title": "合同", "kind": "licence",
        "counterparty": counterparty, "amount": "100", "currency": "CNY",
        "signed_on": "2025-06-01",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["counterparty"]
    assert not Contract.objects.exists()


# --- links to records the actor may not see -------------------------------------------------

def test_a_project_cannot_link_another_enterprises_hidden_draft_demand(personas, chain):
    with pytest.raises(ValidationError) as caught:
        services.update_project(chain.project, actor=personas.manager,
                                demands=[chain.demand_published, chain.demand_draft])
    assert _code(caught.value) == "invalid_choice"
    assert list(Project.objects.get(pk=chain.project.pk).demands.all()) == [
        chain.demand_published]
    projects = Project.objects.count()
    with pytest.raises(ValidationError):
        services.create_project(actor=personas.institution_admin,
                                institution=personas.university, title="新项目",
                                demands=[chain.demand_draft])
    assert Project.objects.count() == projects


def test_a_project_cannot_link_a_disclosure_hidden_from_the_actor(personas, chain):
    hidden = make_achievement(personas, "未分配的机密披露", actor=personas.institution_admin)
    assert not hidden.managers.exists()
    with pytest.raises(ValidationError) as caught:
        services.update_project(chain.project, actor=personas.manager,
                                achievements=[chain.draft, hidden])
    assert _code(caught.value) == "invalid_choice"
    assert hidden not in Project.objects.get(pk=chain.project.pk).achievements.all()


def test_links_made_earlier_stay_when_the_record_is_hidden_later(personas, chain):
    closed = services.close_demand(chain.demand_published, actor=personas.enterprise,
                                   reason="已解决")
    project = services.update_project(chain.project, actor=personas.manager,
                                      demands=[closed], title="改名")
    assert list(project.demands.all()) == [closed]


# --- forbidden looks missing: the same 400 for a hidden id as for a missing one ---------------

def _same_answer(client, url, payload, field, hidden_id, method="post"):
    send = getattr(client, method)
    hidden = send(url, json.dumps({**payload, field: _as(payload, field, hidden_id)}),
                  content_type="application/json")
    missing = send(url, json.dumps({**payload, field: _as(payload, field, MISSING_ID)}),
                   content_type="application/json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["fields"][field][0]["code"] == "does_not_exist"
    assert hidden.content.replace(str(hidden_id).encode(), b"ID") == missing.content.replace(
        str(MISSING_ID).encode(), b"ID")
    return hidden


def _as(payload, field, value):
    return [value] if isinstance(payload.get(field), list) else value


def test_a_split_of_a_hidden_contract_reads_like_a_missing_contract(personas, chain):
    splits = RewardSplit.objects.count()
    payload = {"contract": None, "income_date": "2025-04-01", "amount_fen": 100,
               "allocations": [{"name": "王教授", "contribution": "100"}]}
    for user in (personas.enterprise, personas.outsider, personas.department_officer):
        _same_answer(client_for(user), reverse("reward-split-list"), payload, "contract",
                     chain.contract.pk)
    assert RewardSplit.objects.count() == splits


def test_a_released_manager_cannot_split_the_contract_it_can_still_see(personas, team):
    assert Contract.objects.restrict(personas.manager).filter(pk=team.left_contract.pk).exists()
    payload = {"contract": None, "income_date": "2025-04-01", "amount_fen": 100,
               "allocations": [{"name": "王教授", "contribution": "100"}]}
    _same_answer(client_for(personas.manager), reverse("reward-split-list"), payload,
                 "contract", team.left_contract.pk)


def test_linking_a_hidden_demand_through_the_api_reads_like_a_missing_one(personas, chain):
    url = reverse("project-detail", args=[chain.project.pk])
    _same_answer(client_for(personas.manager), url, {"demands": []}, "demands",
                 chain.demand_draft.pk, method="patch")
    assert list(Project.objects.get(pk=chain.project.pk).demands.all()) == [
        chain.demand_published]


def test_a_contract_for_a_hidden_project_reads_like_a_missing_project(personas, team):
    payload = {"title": "合同", "kind": "licence", "institution": personas.university.pk,
               "amount_fen": 1000, "signed_on": "2025-06-01", "project": None}
    _same_answer(client_for(personas.manager), reverse("contract-list"), payload, "project",
                 team.left_project.pk)


def test_an_activity_credited_to_someone_off_the_project_reads_like_a_missing_user(
    personas, chain
):
    url = reverse("project-activities", args=[chain.project.pk])
    payload = {"kind": "meeting", "summary": "会议", "manager": None}
    _same_answer(client_for(personas.manager), url, payload, "manager",
                 personas.enterprise.pk)
    response = client_for(personas.manager).post(
        url, {**payload, "manager": personas.manager.pk}, content_type="application/json")
    assert response.status_code == 201
