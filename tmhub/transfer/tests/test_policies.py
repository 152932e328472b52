"""Each verb of the transfer policies (tmhub.transfer.policies): a persona it allows, a persona
it refuses, and a refused step that changes nothing (given/when/then, records made through the
services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import history_for
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.operations import operation
from tmhub.transfer import services
from tmhub.transfer.choices import AchievementStatus, DemandStatus, SplitStatus, Stage
from tmhub.transfer.models import (
    Achievement,
    Activity,
    Contract,
    Demand,
    Project,
    RewardRule,
    RewardSplit,
    SplitAllocation,
)
from tmhub.transfer.tests.chain import make_achievement, make_chain, make_team

pytestmark = pytest.mark.django_db


def _code(exc):
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


def _rows():
    """Everything an audited step writes: a refused step must leave both counts alone."""
    return ObjectChange.objects.count(), WorkflowEvent.objects.count()


@pytest.fixture
def chain(personas):
    return make_chain(personas)


# ---------------------------------------------------------------- achievements
def test_view_internal_insiders_read_inventors_and_terms_the_public_does_not(personas, chain):
    published = chain.published
    for insider in (personas.institution_admin, personas.manager, personas.municipal_admin):
        assert policies.allows(insider, "view_internal", published)
        assert {"inventors", "asking_terms", "disclosure_number"} <= policies.visible_fields(
            insider, published
        )
    for outsider in (personas.enterprise, personas.outsider, None):
        assert not policies.allows(outsider, "view_internal", published)
        shown = policies.visible_fields(outsider, published)
        assert "inventors" not in shown and "asking_terms" not in shown
        assert "title" in shown


def test_asking_terms_go_public_only_when_published_with_the_flag(personas, chain):
    achievement = services.update_achievement(
        chain.published, actor=personas.institution_admin, publish_asking_terms=True
    )
    assert "asking_terms" in policies.visible_fields(personas.enterprise, achievement)
    assert "inventors" not in policies.visible_fields(personas.enterprise, achievement)
    withdrawn = services.withdraw_achievement(
        achievement, actor=personas.institution_admin, reason="谈判中"
    )
    # The recorder still sees a withdrawn disclosure, but it is confidential again.
    assert "asking_terms" not in policies.visible_fields(personas.enterprise, withdrawn)


def test_an_outsider_cannot_download_a_disclosure_file_even_once_published(personas, chain):
    attachment = services.add_attachment(
        chain.published,
        actor=personas.institution_admin,
        upload=SimpleUploadedFile("说明书.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    url = reverse("transfer:attachment-download", args=[attachment.pk])
    assert client_for(personas.manager).get(url).status_code == 200
    assert client_for(personas.enterprise).get(url).status_code == 404
    with pytest.raises(Http404):
        policies.require(personas.enterprise, "view", attachment)


def test_create_a_manager_discloses_for_their_institution_only(personas):
    assert policies.allows(personas.manager, "create", Achievement)
    assert not policies.allows(personas.enterprise, "create", Achievement)
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.create_achievement(
            actor=personas.manager, owner=personas.other_university, title="t", abstract="a"
        )
    assert _code(caught.value) == "not_your_institution"
    assert not Achievement.objects.exists() and _rows() == before
    assert (
        client_for(personas.enterprise).get(reverse("transfer:achievement-create")).status_code
        == 404
    )


@pytest.mark.parametrize("verb", ["publish", "withdraw"])
def test_publish_and_withdraw_are_the_institutions_decision(personas, chain, verb):
    target = chain.draft if verb == "publish" else chain.published
    assert policies.allows(personas.institution_admin, verb, target)
    assert not policies.allows(personas.manager, verb, target)
    assert not policies.allows(personas.municipal_admin, verb, target)  # oversees, not decides
    status, before = target.status, _rows()
    with pytest.raises(ValidationError) as caught:
        services.step_achievement(
            target,
            AchievementStatus.PUBLISHED if verb == "publish" else AchievementStatus.WITHDRAWN,
            actor=personas.manager,
            reason="经理人想撤回",
        )
    assert caught.value.code == "transition_forbidden"
    assert Achievement.objects.get(pk=target.pk).status == status and _rows() == before


def test_assign_manager_to_a_disclosure_is_the_institutions_decision(personas, chain):
    hidden = make_achievement(personas, "未分配的披露", actor=personas.institution_admin)
    before = _rows()
    with pytest.raises(Http404):
        services.assign_achievement_manager(hidden, actor=personas.manager, user=personas.manager)
    assert not hidden.managers.exists() and _rows() == before
    services.assign_achievement_manager(
        hidden, actor=personas.institution_admin, user=personas.manager
    )
    assert list(hidden.managers.all()) == [personas.manager]
    assert policies.allows(personas.manager, "view_internal", hidden)


# ---------------------------------------------------------------- demands
def test_view_contact_the_enterprise_and_transfer_professionals_while_published(personas, chain):
    demand = chain.demand_published
    for allowed in (personas.enterprise, personas.manager, personas.institution_admin):
        assert policies.allows(allowed, "view_contact", demand)
        assert "contact_phone" in policies.visible_fields(allowed, demand)
    for refused in (personas.outsider, personas.service_provider, None):
        assert not policies.allows(refused, "view_contact", demand)
        assert "contact_phone" not in policies.visible_fields(refused, demand)
    api = client_for(personas.outsider).get(reverse("demand-detail", args=[demand.pk])).json()
    assert "contact_phone" not in api and api["title"] == demand.title
    closed = services.close_demand(demand, actor=personas.enterprise, reason="已解决")
    assert not policies.allows(personas.manager, "view_contact", closed)
    assert policies.allows(personas.enterprise, "view_contact", closed)


def test_create_a_demand_for_ones_own_enterprise_or_as_a_transfer_professional(personas):
    assert policies.allows(personas.enterprise, "create", Demand)
    assert policies.allows(personas.manager, "create", Demand)
    assert not policies.allows(personas.outsider, "create", Demand)
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.create_demand(
            actor=personas.service_provider, organization=personas.company, title="t", problem="p"
        )
    assert _code(caught.value) == "not_your_enterprise"
    assert not Demand.objects.exists() and _rows() == before


@pytest.mark.parametrize("target", [DemandStatus.PUBLISHED, DemandStatus.CLOSED])
def test_publish_and_close_are_the_enterprises(personas, chain, target):
    demand = chain.demand_draft
    verb = "publish" if target == DemandStatus.PUBLISHED else "close"
    assert policies.allows(personas.enterprise, verb, demand)
    assert not policies.allows(personas.manager, verb, demand)
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.step_demand(demand, target, actor=personas.manager)
    assert caught.value.code == "transition_forbidden"
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT and _rows() == before
    assert services.step_demand(demand, target, actor=personas.enterprise).status == target


# ---------------------------------------------------------------- projects
def test_move_the_institution_and_the_active_managers(personas, chain):
    project = chain.project
    assert policies.allows(personas.manager, "move", project)
    assert policies.allows(personas.institution_admin, "move", project)
    assert not policies.allows(personas.enterprise, "move", project)
    before = _rows()
    with pytest.raises(ValidationError):
        services.move_project(project, Stage.LANDING, actor=personas.enterprise)
    project.refresh_from_db()
    assert project.stage == Stage.TRANSACTION and project.landed_on is None
    assert _rows() == before


def test_assign_manager_and_record_activity_need_an_active_place_on_the_project(personas):
    team = make_team(personas)
    left = team.left_project  # personas.manager was released from it
    assert policies.allows(personas.institution_admin, "assign_manager", left)
    for verb in ("assign_manager", "record_activity"):
        assert policies.allows(personas.manager, verb, team.project)
        assert not policies.allows(personas.manager, verb, left)
    before, activities = _rows(), Activity.objects.count()
    with pytest.raises(Http404):
        services.assign_manager(left, actor=personas.manager, user=personas.manager)
    with pytest.raises(Http404):
        services.record_activity(left, actor=personas.manager, kind="meeting", summary="回访")
    assert _rows() == before and Activity.objects.count() == activities
    assert not left.assignments.filter(user=personas.manager, released_on__isnull=True).exists()


def test_release_the_lead_the_institution_or_oneself(personas):
    team = make_team(personas)
    assert policies.allows(team.lead, "release", team.support_assignment)
    assert policies.allows(personas.manager, "release", team.support_assignment)
    assert not policies.allows(personas.manager, "release", team.lead_assignment)
    assert policies.allows(personas.institution_admin, "release", team.lead_assignment)


# ---------------------------------------------------------------- contracts and rules
def test_create_a_contract_the_page_is_for_those_who_record_for_an_institution(personas):
    assert policies.allows(personas.manager, "create", Contract)
    assert not policies.allows(personas.enterprise, "create", Contract)
    assert (
        client_for(personas.enterprise).get(reverse("transfer:contract-create")).status_code == 404
    )
    draft = Contract(institution=personas.university, project=None)
    assert policies.allows(personas.institution_admin, "create", draft)
    assert not policies.allows(personas.manager, "create", draft)  # no project: the institution
    refusal = policies.policy_for(Contract).create_refusal(get_scope(personas.manager), draft)
    assert _code(refusal) == "project_required"


def test_administer_rules_only_the_city(personas):
    rule = RewardRule.objects.first()
    assert policies.allows(personas.municipal_admin, "administer", rule)
    assert not policies.allows(personas.institution_admin, "administer", rule)
    url = reverse("transfer:rule-detail", args=[rule.pk])
    admin_link = reverse("admin:transfer_rewardrule_change", args=[rule.pk])
    assert admin_link in client_for(personas.municipal_admin).get(url).content.decode()
    assert admin_link not in client_for(personas.institution_admin).get(url).content.decode()


# ---------------------------------------------------------------- reward splits
def test_approve_only_the_institution_and_a_refusal_changes_nothing(personas, chain):
    split = chain.split_draft
    assert policies.allows(personas.institution_admin, "approve", split)
    assert not policies.allows(personas.manager, "approve", split)
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        services.approve_split(split, actor=personas.manager)
    assert caught.value.code == "transition_forbidden"
    split.refresh_from_db()
    assert (split.status, split.number, split.approved_by) == (SplitStatus.DRAFT, None, None)
    assert _rows() == before
    page = client_for(personas.manager).get(split.get_absolute_url()).content.decode()
    assert 'data-target="approved"' not in page and 'data-target="cancelled"' in page
    page = client_for(personas.institution_admin).get(split.get_absolute_url()).content.decode()
    assert 'data-target="approved"' in page


def test_an_approval_records_the_frozen_shares_with_the_split(personas, chain):
    with operation():
        split = services.approve_split(chain.split_draft, actor=personas.institution_admin)
    changes, events = history_for(split)
    shares = changes.filter(content_type__model="splitallocation")
    assert shares.filter(action=ObjectChange.Action.UPDATE).count() == 2  # frozen by approval
    assert {c.related_object_id for c in shares} == {str(split.pk)}
    assert set(shares.values_list("object_id", flat=True)) == {
        str(pk) for pk in SplitAllocation.objects.filter(split=split).values_list("pk", flat=True)
    }
    assert events.get().to_state == SplitStatus.APPROVED
    assert len({c.operation_id for c in changes.filter(action=ObjectChange.Action.UPDATE)}) == 1


def test_create_a_split_for_a_contract_one_works_on(personas, chain):
    assert policies.allows(personas.manager, "create", RewardSplit)
    assert not policies.allows(personas.enterprise, "create", RewardSplit)
    assert client_for(personas.enterprise).get(reverse("transfer:split-create")).status_code == 404
    splits, before = RewardSplit.objects.count(), _rows()
    with pytest.raises(ValidationError) as caught:
        services.create_split(
            actor=personas.enterprise,
            institution=personas.university,
            contract=chain.contract,
            income_date=datetime.date(2025, 4, 1),
            amount_fen=100,
            people=[{"name": "王教授", "contribution": Decimal(100)}],
        )
    assert _code(caught.value) == "not_your_institution"
    assert RewardSplit.objects.count() == splits and _rows() == before


# ---------------------------------------------------------------- the platform itself
def test_system_passes_every_policy_and_none_is_no_actor(personas, chain):
    assert policies.allows(SYSTEM, "approve", chain.split_draft)
    with pytest.raises(ImproperlyConfigured):
        policies.require(None, "change", chain.project)
    project = services.create_project(
        actor=SYSTEM, institution=personas.university, title="平台导入的项目"
    )
    assert Project.objects.get(pk=project.pk).created_by is None


def test_the_achievement_api_list_shows_insiders_their_fields_in_constant_queries(
    personas, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.manager)
    make_achievement(personas, "第一项")
    with CaptureQueriesContext(connection) as one:
        rows = client.get(reverse("achievement-list")).json()["results"]
    assert all("inventors" in row for row in rows)
    for n in range(5):
        make_achievement(personas, f"再一项{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        rows = client.get(reverse("achievement-list")).json()["results"]
    assert len(rows) == 6 and all("inventors" in row for row in rows)
    public = client_for(personas.enterprise).get(reverse("achievement-list")).json()["results"]
    assert public == []  # drafts: nothing at all for an outsider
