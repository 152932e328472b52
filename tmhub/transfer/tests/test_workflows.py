"""Stages, activities, disclosures and demands through the services (given/when/then)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core import metrics
from tmhub.core.actors import SYSTEM
from tmhub.core.models import WorkflowEvent
from tmhub.core.roles import Role
from tmhub.transfer import services
from tmhub.transfer.choices import ActivityKind, Stage
from tmhub.transfer.tests.chain import (
    INVENTORS,
    make_achievement,
    make_chain,
    record_contract_with_receipt,
    record_report,
)
from tmhub.transfer.validators import validate_patent_number

pytestmark = pytest.mark.django_db


def _code(exc):
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


@pytest.fixture
def project(personas):
    return services.create_project(
        actor=personas.manager, institution=personas.university, title="项目"
    )


def test_a_new_project_starts_at_discovery_led_by_the_manager_who_opened_it(project, personas):
    assert project.stage == Stage.MINING
    assert project.assignments.get().user == personas.manager


def test_the_lead_has_led_since_the_project_started_not_since_it_was_typed_in(personas):
    """A project entered late still counts in its lead's year (the annual filing counts the
    projects a manager served in the year from the assignment's date)."""
    today = timezone.localdate()
    started = today - datetime.timedelta(days=400)
    entered_late = services.create_project(
        actor=personas.manager, institution=personas.university, title="补录项目",
        started_on=started)
    assert entered_late.assignments.get().assigned_on == started
    planned = services.create_project(
        actor=personas.manager, institution=personas.university, title="计划项目",
        started_on=today + datetime.timedelta(days=30))
    assert planned.assignments.get().assigned_on == today  # not in the future


@pytest.mark.parametrize(
    "path",
    [
        [
            "cultivation",
            "incubation",
            "maturation",
            "evaluation",
            "promotion",
            "negotiation",
            "transaction",
            "landing",
        ],
        ["evaluation", "promotion", "negotiation", "transaction", "landing"],
    ],
)
def test_legal_forward_moves_reach_landing(project, personas, path):
    # Given every gate's evidence: a valuation report, and a signed contract with a receipt
    record_report(project, personas.manager)
    record_contract_with_receipt(project, personas)
    for stage in path:
        project = services.move_project(project, stage, actor=personas.manager)
    assert project.stage == Stage.LANDING and project.landed_on is not None
    assert WorkflowEvent.objects.filter(object_id=str(project.pk), to_state=Stage.LANDING).exists()


@pytest.mark.parametrize("target", ["landing", "promotion", "mining", "nonsense"])
def test_illegal_moves_are_refused(project, personas, target):
    with pytest.raises(ValidationError) as caught:
        services.move_project(project, target, actor=personas.manager)
    assert _code(caught.value) == "illegal_transition"


def test_a_backward_move_needs_a_reason_and_is_allowed_only_where_the_map_says(project, personas):
    record_report(project, personas.manager)
    project = services.move_project(project, Stage.EVALUATION, actor=personas.manager)
    with pytest.raises(ValidationError) as caught:
        services.move_project(project, Stage.MATURATION, actor=personas.manager)
    assert _code(caught.value) == "reason_required"
    project = services.move_project(
        project, Stage.MATURATION, actor=personas.manager, reason="评价发现中试数据不足"
    )
    assert project.stage == Stage.MATURATION
    with pytest.raises(ValidationError):  # maturation → incubation is not on the map
        services.move_project(project, Stage.INCUBATION, actor=personas.manager, reason="x")


def test_only_the_institution_and_assigned_managers_move_a_project(project, personas):
    for outsider in (personas.enterprise, personas.department_officer, personas.outsider):
        with pytest.raises(ValidationError) as caught:
            services.move_project(project, Stage.CULTIVATION, actor=outsider)
        assert _code(caught.value) == "transition_forbidden"
    assert (
        services.move_project(project, Stage.CULTIVATION, actor=personas.institution_admin).stage
        == Stage.CULTIVATION
    )


def test_a_stale_version_is_refused(project, personas):
    services.update_project(project, actor=personas.manager, title="新标题")
    with pytest.raises(ValidationError) as caught:
        services.update_project(
            project, actor=personas.manager, expected_version=1, description="旧页面提交"
        )
    assert caught.value.code == "stale"


def test_an_introduction_is_timestamped_and_attributed_to_an_assigned_manager(project, personas):
    when = datetime.datetime(2025, 5, 6, 10, 30, tzinfo=datetime.UTC)
    activity = services.record_activity(
        project,
        actor=personas.manager,
        kind=ActivityKind.INTRODUCTION,
        occurred_at=when,
        summary="引荐企业",
        counterpart=personas.company,
    )
    assert activity.manager == personas.manager and activity.occurred_at == when
    assert personas.company in project.partners.all()
    assert _figure("transfer_introductions", personas.manager, 2025) == 1
    # The institution may log work on its project, but only in the name of an assigned manager.
    with pytest.raises(ValidationError) as caught:
        services.record_activity(
            project, actor=personas.institution_admin, kind=ActivityKind.MEETING,
            summary="不是项目成员",
        )
    assert _code(caught.value) == "not_assigned"


def test_only_managers_can_be_assigned(project, personas):
    with pytest.raises(ValidationError) as caught:
        services.assign_manager(project, actor=personas.institution_admin, user=personas.enterprise)
    assert _code(caught.value) == "not_a_manager"
    other = create_user(actor=SYSTEM, username="m2", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=other, role=Role.MANAGER,
                     organization=personas.university)
    services.assign_manager(project, actor=personas.institution_admin, user=other)
    assert project.assignments.count() == 2


def _figure(key, user, year):
    return metrics.get(key).values([user.pk], metrics.Period.year(year))[user.pk]


def test_filing_figures_come_from_the_records(personas):
    make_chain(personas)
    year = timezone.localdate().year
    assert _figure("transfer_projects_served", personas.manager, year) == 1
    assert _figure("transfer_contracts_signed", personas.manager, 2025) == 1
    assert _figure("transfer_income_fen", personas.manager, 2025) == 60_000_000
    assert _figure("transfer_introductions", personas.manager, year) == 1
    assert _figure("transfer_contracts_signed", personas.institution_admin, 2025) == 0


def test_publication_needs_inventors_and_the_institution(personas):
    bare = services.create_achievement(
        actor=personas.manager, owner=personas.university, title="无发明人", abstract="摘要"
    )
    with pytest.raises(ValidationError):
        services.publish_achievement(bare, actor=personas.institution_admin)
    draft = make_achievement(personas)
    with pytest.raises(ValidationError) as caught:
        services.publish_achievement(draft, actor=personas.manager)
    assert _code(caught.value) == "transition_forbidden"
    published = services.publish_achievement(draft, actor=personas.institution_admin)
    assert published.status == "published" and published.published_at
    with pytest.raises(ValidationError):
        services.withdraw_achievement(published, actor=personas.institution_admin, reason="")
    assert (
        services.withdraw_achievement(
            published, actor=personas.institution_admin, reason="许可谈判中"
        ).status
        == "withdrawn"
    )


def test_inventor_shares_must_sum_to_100(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_achievement(
            actor=personas.manager,
            owner=personas.university,
            title="t",
            abstract="a",
            inventors=[{"name": "甲", "share": Decimal("90")}],
        )
    assert _code(caught.value) == "inventor_shares"


def test_a_manager_cannot_disclose_for_another_institution(personas):
    with pytest.raises(ValidationError):
        services.create_achievement(
            actor=personas.manager,
            owner=personas.other_university,
            title="t",
            abstract="a",
            inventors=INVENTORS,
        )


@pytest.mark.parametrize(
    "number,ok",
    [
        ("202310123456.6", True),
        ("ZL202310123456.6", True),
        ("CN 2023101234566", True),
        ("202310123456.5", False),
        ("202320123456.X", False),
        ("CN115123456A", True),
        ("CN115123456U", False),
        ("12345", False),
    ],
)
def test_patent_numbers_are_validated_with_their_check_digit_and_type(number, ok):
    if ok:
        validate_patent_number(number, "invention")
    else:
        with pytest.raises(ValidationError):
            validate_patent_number(number, "invention")


def test_attachments_are_limited_by_type(personas):
    achievement = make_achievement(personas)
    with pytest.raises(ValidationError) as caught:
        services.add_attachment(
            achievement, actor=personas.manager, upload=SimpleUploadedFile("x.exe", b"MZ")
        )
    assert _code(caught.value) == "file_type"


@pytest.fixture
def heard():
    """Events about achievements and demands, as a subscriber (the matching index) hears them;
    the subscriptions are removed afterwards."""
    from tmhub.core import events

    before, seen = list(events._SUBSCRIPTIONS), []
    for model in ("transfer.Achievement", "transfer.Demand"):
        for kind in (events.ObjectChanged, events.WorkflowStepped):
            events.subscribe(kind, model=model)(seen.append)
    yield seen
    events._SUBSCRIPTIONS[:] = before


def test_every_write_of_a_disclosure_or_demand_is_announced_after_commit(
    personas, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        achievement = make_achievement(personas, publish=True)
    assert [type(e).__name__ for e in heard] == ["ObjectChanged", "WorkflowStepped"]
    assert {e.pk for e in heard} == {str(achievement.pk)}
    assert heard[1].to_state == "published"
    steps = [
        lambda: services.update_achievement(achievement, actor=personas.institution_admin,
                                            title="新标题"),
        lambda: services.withdraw_achievement(achievement, actor=personas.institution_admin,
                                              reason="谈判中"),
        lambda: services.create_demand(actor=personas.enterprise,
                                       organization=personas.company, title="需求",
                                       problem="问题"),
    ]
    for step in steps:
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step()
        assert len(heard) == 1, step
    demand = services.create_demand(actor=personas.enterprise, organization=personas.company,
                                    title="需求二", problem="问题")
    for step in (services.publish_demand, lambda d, actor: services.close_demand(
            d, actor=actor, reason="已解决")):
        heard.clear()
        with django_capture_on_commit_callbacks(execute=True):
            step(demand, actor=personas.enterprise)
        assert [type(e).__name__ for e in heard] == ["WorkflowStepped"]
    assert heard[0].to_state == "closed"


def test_contract_edit_page_corrects_amount_and_counterparty(personas):
    from django.urls import reverse

    from conftest import client_for
    from tmhub.core.models import ObjectChange
    from tmhub.transfer.choices import PartyRole
    from tmhub.transfer.models import Contract
    from tmhub.transfer.tests.chain import make_chain

    contract = make_chain(personas).contract
    client = client_for(personas.institution_admin)
    url = reverse("transfer:contract-edit", args=[contract.pk])
    form = client.get(url).context["form"]
    assert form.initial["amount"] == 1_000_000 and "institution" not in form.fields
    data = {"project": contract.project_id, "title": contract.title, "kind": contract.kind,
            "counterparty": personas.hospital.pk, "amount": "1200000.50",
            "currency": contract.currency, "signed_on": "2025-03-01",
            "registration_number": "bad"}
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors  # field error shown
    data["registration_number"] = contract.registration_number
    assert client.post(url, data).status_code == 302
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.amount_fen == 120_000_050
    assert contract.parties.get(role=PartyRole.BUYER).organization == personas.hospital
    assert ObjectChange.objects.filter(object_id=str(contract.pk), action="update").exists()
    # Someone outside the institution cannot open it: it looks missing.
    assert client_for(personas.enterprise).get(url).status_code == 404


def test_closing_a_demand_offers_a_reason_box_that_may_stay_empty(client, personas):
    from django.urls import reverse

    from tmhub.transfer.choices import DemandStatus
    from tmhub.transfer.workflows import DEMAND_WORKFLOW

    demand = services.create_demand(actor=personas.enterprise, organization=personas.company,
                                    title="低功耗边缘计算网关", problem="需要 5 W 以内的网关方案")
    services.publish_demand(demand, actor=personas.enterprise)
    demand.refresh_from_db()
    (close,) = [b for b in DEMAND_WORKFLOW.buttons(demand, personas.enterprise)
                if b.target == DemandStatus.CLOSED]
    assert close.asks_reason and not close.needs_reason
    client.force_login(personas.enterprise)
    page = client.get(reverse("transfer:demand-detail", args=[demand.pk])).content.decode()
    assert 'name="reason" placeholder' in page and 'name="reason" placeholder="原因（必填）"' \
        not in page
    services.close_demand(demand, actor=personas.enterprise)  # no reason: still closes
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
