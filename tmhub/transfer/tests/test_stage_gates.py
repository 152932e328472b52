"""Stage gates: a project enters 评价, 交易 and 落地 only with its evidence (rules as data),
the board and the project page say what is missing before the move, the API refuses with a
code, and the city's override past a gate is audited apart (given/when/then, through the
services, the pages and the API)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.transfer import gates, services
from tmhub.transfer.choices import EvidenceKind, Stage
from tmhub.transfer.choices import TransferEvent as E
from tmhub.transfer.models import Project, ProjectEvidence, StageGate
from tmhub.transfer.tests.chain import record_contract_with_receipt, record_report, walk_to

pytestmark = pytest.mark.django_db


def _code(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.code


def _refused(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


@pytest.fixture
def project(personas):
    return services.create_project(
        actor=personas.manager, institution=personas.university, title="阶段门项目"
    )


def _at(project, stage, personas):
    """The project walked to `stage` with the evidence each gate on the way needs."""
    return walk_to(project, stage, personas.manager)


def _events(project, event_type):
    return WorkflowEvent.objects.filter(object_id=str(project.pk), event_type=event_type)


# ---------------------------------------------------------------- the rules are data
def test_the_seeded_gates_name_the_evidence_of_each_stage_with_their_legal_basis():
    rules = gates.rules_in_force()
    assert rules == {
        Stage.EVALUATION: [EvidenceKind.VALUATION_REPORT, EvidenceKind.EVALUATION_REPORT],
        Stage.TRANSACTION: [EvidenceKind.SIGNED_CONTRACT],
        Stage.LANDING: [
            EvidenceKind.CONTRACT_RECEIPT,
            EvidenceKind.COMPANY_FOUNDED,
            EvidenceKind.INVESTMENT_MADE,
        ],
    }
    assert all(row.legal_basis for row in StageGate.objects.all())
    assert not StageGate.objects.filter(confirmed=True).exists()  # a platform rule, flagged


def test_a_gate_row_added_from_today_closes_a_stage_and_an_expired_one_does_not(project, personas):
    # Given the city adds a gate on 推广 from today, and one on 对接谈判 that has expired
    today = timezone.localdate()
    StageGate.objects.create(
        stage=Stage.PROMOTION,
        evidence_kind="evaluation_report",
        effective_from=today,
        legal_basis="测试规则",
    )
    StageGate.objects.create(
        stage=Stage.NEGOTIATION,
        evidence_kind="company_founded",
        effective_from=datetime.date(2020, 1, 1),
        effective_to=today - datetime.timedelta(days=1),
        legal_basis="已失效的测试规则",
    )
    record_report(project, personas.manager, kind="valuation_report")
    project = services.move_project(project, Stage.EVALUATION, actor=personas.manager)
    # When the project moves on with a valuation report only
    exc = _refused(lambda: services.move_project(project, Stage.PROMOTION, actor=personas.manager))
    # Then 推广 now asks for its evaluation report; the expired rule asks nothing
    assert _code(exc) == "stage_evidence_missing"
    record_report(project, personas.manager, kind="evaluation_report")
    project = services.move_project(project, Stage.PROMOTION, actor=personas.manager)
    project = services.move_project(project, Stage.NEGOTIATION, actor=personas.manager)
    assert project.stage == Stage.NEGOTIATION


# ---------------------------------------------------------------- 评价
def test_evaluation_needs_a_report_recorded_with_who_and_when(project, personas):
    # Given a project with nothing recorded
    # When the manager moves it to 评价
    exc = _refused(lambda: services.move_project(project, Stage.EVALUATION, actor=personas.manager))
    # Then the move is refused with a code, on the target, naming what is missing
    assert exc.error_dict["target"][0].code == "stage_evidence_missing"
    assert exc.messages == ["项目缺少资产评估报告或成果评价报告，不能进入“评价”阶段：请先登记。"]
    project.refresh_from_db()
    assert project.stage == Stage.MINING
    # When a valuation report is recorded
    evidence = record_report(project, personas.manager)
    # Then it says who recorded it and when, its change is audited with the project
    assert evidence.recorded_by == personas.manager and evidence.recorded_at is not None
    assert ObjectChange.objects.filter(
        object_id=str(evidence.pk), action=ObjectChange.Action.CREATE
    ).exists()
    # And the move goes through
    assert (
        services.move_project(project, Stage.EVALUATION, actor=personas.manager).stage
        == Stage.EVALUATION
    )


def test_evidence_is_recorded_by_those_who_work_the_project_and_is_checked(project, personas):
    record = {
        "kind": "valuation_report",
        "occurred_on": datetime.date(2025, 2, 1),
        "title": "评估报告",
        "party": "评估公司",
    }
    for outsider in (personas.enterprise, personas.outsider, personas.department_officer):
        with pytest.raises(Http404):  # forbidden looks like missing
            services.record_evidence(project, actor=outsider, **record)
    # Contracts and receipts are read from the contract records, never re-entered
    exc = _refused(
        lambda: services.record_evidence(
            project, actor=personas.manager, **{**record, "kind": "signed_contract"}
        )
    )
    assert _code(exc) == "derived_evidence"
    exc = _refused(
        lambda: services.record_evidence(
            project, actor=personas.manager, **{**record, "party": " "}
        )
    )
    assert _code(exc) == "party_required"
    exc = _refused(
        lambda: services.record_evidence(
            project, actor=personas.manager, **{**record, "kind": "investment_made"}
        )
    )
    assert _code(exc) == "amount_required"
    # Its file passes the same check as an achievement's attachments
    for name, content, code in [("报告.exe", b"MZ", "file_type"), ("报告.pdf", b"", "file_empty")]:
        exc = _refused(
            lambda name=name, content=content: services.record_evidence(
                project, actor=personas.manager, **record,
                upload=SimpleUploadedFile(name, content, content_type="application/pdf"))
        )
        assert _code(exc) == code
    exc = _refused(
        lambda: services.record_evidence(
            project,
            actor=personas.manager,
            **{**record, "occurred_on": timezone.localdate() + datetime.timedelta(days=3)},
        )
    )
    assert "occurred_on" in exc.error_dict
    assert not ProjectEvidence.objects.exists()


# ---------------------------------------------------------------- 交易
def test_transaction_needs_a_signed_contract_linked_to_this_project(project, personas):
    project = _at(project, Stage.NEGOTIATION, personas)
    # Given a contract of another project only
    other = services.create_project(
        actor=personas.manager, institution=personas.university, title="另一个项目"
    )
    record_contract_with_receipt(other, personas)
    exc = _refused(
        lambda: services.move_project(project, Stage.TRANSACTION, actor=personas.manager)
    )
    assert _code(exc) == "stage_evidence_missing" and "已签订的技术合同" in exc.messages[0]
    # When a contract linked to this project is signed
    services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=project,
        title="许可合同",
        kind="licence",
        amount_fen=1_000_000,
        signed_on=datetime.date(2025, 3, 1),
    )
    # Then it counts by itself (nothing re-entered) and the project enters 交易
    assert gates.gate(project, Stage.TRANSACTION).met_by == [EvidenceKind.SIGNED_CONTRACT]
    assert (
        services.move_project(project, Stage.TRANSACTION, actor=personas.manager).stage
        == Stage.TRANSACTION
    )


# ---------------------------------------------------------------- 落地
def test_landing_needs_a_receipt_a_company_or_an_investment(project, personas):
    project = _at(project, Stage.NEGOTIATION, personas)
    contract = services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=project,
        title="许可合同",
        kind="licence",
        amount_fen=1_000_000,
        signed_on=datetime.date(2025, 3, 1),
    )
    project = services.move_project(project, Stage.TRANSACTION, actor=personas.manager)
    # Given a signed contract without any money received: not landed
    exc = _refused(lambda: services.move_project(project, Stage.LANDING, actor=personas.manager))
    assert _code(exc) == "stage_evidence_missing"
    # When the first payment arrives under the contract
    services.record_receipt(
        contract, actor=personas.manager, received_on=datetime.date(2025, 4, 1), amount_fen=300_000
    )
    # Then the project lands, dated
    project = services.move_project(project, Stage.LANDING, actor=personas.manager)
    assert project.stage == Stage.LANDING and project.landed_on is not None


def test_a_company_founded_lands_a_project_without_a_receipt(project, personas):
    project = _at(project, Stage.NEGOTIATION, personas)
    services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=project,
        title="作价投资协议",
        kind="assignment",
        amount_fen=5_000_000,
        signed_on=datetime.date(2025, 3, 1),
    )
    project = services.move_project(project, Stage.TRANSACTION, actor=personas.manager)
    services.record_evidence(
        project,
        actor=personas.institution_admin,
        kind="company_founded",
        occurred_on=datetime.date(2025, 5, 1),
        title="统一社会信用代码 91110108MA0000000X",
        party="北京固态电池科技有限公司",
        amount_fen=10_000_000,
    )
    assert gates.gate(project, Stage.LANDING).met_by == [EvidenceKind.COMPANY_FOUNDED]
    assert (
        services.move_project(project, Stage.LANDING, actor=personas.manager).stage == Stage.LANDING
    )


def test_a_receipt_reversed_in_full_is_no_landing(project, personas):
    reverse_receipt = getattr(services, "reverse_receipt", None)
    if reverse_receipt is None:
        pytest.skip("receipts cannot be reversed in this build")
    project = _at(project, Stage.NEGOTIATION, personas)
    contract = services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=project,
        title="许可合同",
        kind="licence",
        amount_fen=1_000_000,
        signed_on=datetime.date(2025, 3, 1),
    )
    receipt = services.record_receipt(
        contract, actor=personas.manager, received_on=datetime.date(2025, 4, 1), amount_fen=300_000
    )
    project = services.move_project(project, Stage.TRANSACTION, actor=personas.manager)
    assert gates.gate(project, Stage.LANDING).is_open
    reverse_receipt(receipt, actor=personas.institution_admin, reason="录入错误，冲销")
    assert not gates.gate(Project.objects.get(pk=project.pk), Stage.LANDING).is_open


# ---------------------------------------------------------------- the municipal override
def test_the_city_overrides_a_missing_gate_with_a_reason_audited_apart(project, personas):
    # Given a project with no report
    # When its own manager or institution tries the override, it is not theirs
    for actor in (personas.manager, personas.institution_admin):
        exc = _refused(
            lambda actor=actor: services.move_project(
                project, Stage.EVALUATION, actor=actor, override=True, reason="赶进度"
            )
        )
        assert _code(exc) == "transition_forbidden"
    # And the city's override without a reason is refused
    exc = _refused(
        lambda: services.move_project(
            project, Stage.EVALUATION, actor=personas.municipal_admin, override=True
        )
    )
    assert _code(exc) == "reason_required"
    # When the city overrides with a reason
    project = services.move_project(
        project,
        Stage.EVALUATION,
        actor=personas.municipal_admin,
        override=True,
        reason="专家评审会已召开，报告补交中",
    )
    # Then the project moves, and the history holds one override event (not a plain move)
    assert project.stage == Stage.EVALUATION
    (event,) = _events(project, E.STAGE_GATE_OVERRIDDEN)
    assert event.reason == "专家评审会已召开，报告补交中"
    assert event.actor == personas.municipal_admin
    assert event.data["missing_evidence"] == ["valuation_report", "evaluation_report"]
    assert not _events(project, E.STAGE_FORWARD).exists()


def test_an_override_is_refused_where_the_evidence_is_there(project, personas):
    record_report(project, personas.manager)
    exc = _refused(
        lambda: services.move_project(
            project, Stage.EVALUATION, actor=personas.municipal_admin, override=True, reason="x"
        )
    )
    assert _code(exc) == "stage_evidence_present"


def test_backward_moves_have_no_gate(project, personas):
    project = _at(project, Stage.EVALUATION, personas)
    ProjectEvidence.objects.all().delete()  # the report gone: moving back is still allowed
    project = services.move_project(
        project, Stage.MATURATION, actor=personas.manager, reason="中试数据不足"
    )
    assert project.stage == Stage.MATURATION


# ---------------------------------------------------------------- pages
def test_the_board_says_what_a_stage_needs_before_the_move(project, personas):
    client = client_for(personas.manager)
    # Given a project at discovery without a report
    page = client.get(reverse("transfer:project-board")).content.decode()
    # Then its card shows the evaluation move blocked and what it needs
    card = page[page.index(f'id="card-{project.pk}"') :]  # the board's only card
    assert 'data-target="evaluation" disabled' in card
    assert "需要：资产评估报告或成果评价报告" in card
    assert 'data-next="cultivation ' in card  # a drop on 评价 is not offered
    # When the board's move is posted anyway (a stale page, a script), it is refused
    response = client.post(
        reverse("transfer:project-move", args=[project.pk]),
        {"target": "evaluation", "version": project.version, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.stage == Stage.MINING


def test_the_project_page_records_evidence_and_then_moves(project, personas):
    client = client_for(personas.manager)
    url = reverse("transfer:project-detail", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'id="stage-gates"' in page and "gate-closed" in page
    assert 'id="stage-override"' not in page  # the override is the city's
    # When the manager records a valuation report with its file
    response = client.post(
        reverse("transfer:project-evidence", args=[project.pk]),
        {
            "kind": "valuation_report",
            "occurred_on": "2025-02-01",
            "title": "京评报字[2025]第001号",
            "party": "北京测试资产评估有限公司",
            "amount": "800000.00",
            "file": SimpleUploadedFile(
                "评估报告.pdf", b"%PDF-1.4 report", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    evidence = ProjectEvidence.objects.get(project=project)
    assert evidence.amount_fen == 80_000_000 and evidence.original_name == "评估报告.pdf"
    # Then the page lists it with who recorded it, the file downloads, and 评价 opens
    page = client.get(url).content.decode()
    assert "京评报字[2025]第001号" in page and str(personas.manager) in page
    download = client.get(reverse("transfer:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == (
        b"%PDF-1.4 report"
    )
    assert (
        client_for(personas.enterprise)
        .get(reverse("transfer:evidence-download", args=[evidence.pk]))
        .status_code
        == 404
    )
    client.post(
        reverse("transfer:project-move", args=[project.pk]),
        {"target": "evaluation", "version": Project.objects.get(pk=project.pk).version},
    )
    assert Project.objects.get(pk=project.pk).stage == Stage.EVALUATION


def test_a_refused_move_on_the_page_says_what_is_missing(project, personas):
    client = client_for(personas.manager)
    response = client.post(
        reverse("transfer:project-move", args=[project.pk]),
        {"target": "evaluation", "version": project.version},
        follow=True,
    )
    assert "资产评估报告或成果评价报告" in response.content.decode()
    assert Project.objects.get(pk=project.pk).stage == Stage.MINING


def test_the_city_overrides_on_the_project_page_and_the_timeline_shows_it(project, personas):
    client = client_for(personas.municipal_admin)
    url = reverse("transfer:project-detail", args=[project.pk])
    page = client.get(url).content.decode()
    assert 'id="stage-override"' in page
    # Without a reason the override is refused
    client.post(
        reverse("transfer:project-move", args=[project.pk]),
        {"target": "evaluation", "override": "1", "version": project.version},
    )
    assert Project.objects.get(pk=project.pk).stage == Stage.MINING
    client.post(
        reverse("transfer:project-move", args=[project.pk]),
        {
            "target": "evaluation",
            "override": "1",
            "reason": "报告补交中",
            "version": project.version,
        },
    )
    assert Project.objects.get(pk=project.pk).stage == Stage.EVALUATION
    page = client_for(personas.manager).get(url).content.decode()
    assert "stage-override-event" in page and "报告补交中" in page


# ---------------------------------------------------------------- API
def _api(user):
    return client_for(user)


def test_the_api_refuses_a_move_without_evidence_with_its_code(project, personas):
    client = _api(personas.manager)
    url = reverse("project-transition", args=[project.pk])
    response = client.post(url, {"target": "evaluation"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["fields"]["target"][0]["code"] == "stage_evidence_missing"
    # And the project tells its gates before the move
    detail = client.get(reverse("project-detail", args=[project.pk])).json()
    (evaluation,) = [g for g in detail["gates"] if g["stage"] == "evaluation"]
    assert (
        evaluation
        == {
            "stage": "evaluation",
            "evidence_kinds": ["valuation_report", "evaluation_report"],
            "met_by": [],
            "is_open": False,
            "needs": evaluation["needs"],
        }
        and evaluation["needs"]
    )


def test_the_api_records_evidence_then_the_move_passes(project, personas):
    client = _api(personas.manager)
    url = reverse("project-evidence", args=[project.pk])
    bad = client.post(
        url,
        {"kind": "signed_contract", "occurred_on": "2025-02-01", "title": "合同", "party": "甲方"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["fields"]["kind"][0]["code"] == "invalid_choice"
    created = client.post(
        url,
        {
            "kind": "evaluation_report",
            "occurred_on": "2025-02-01",
            "title": "成果评价报告",
            "party": "评价中心",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["recorded_by"] == personas.manager.pk
    assert [e["title"] for e in client.get(url).json()] == ["成果评价报告"]
    moved = client.post(
        reverse("project-transition", args=[project.pk]),
        {"target": "evaluation"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "evaluation"
    (evaluation,) = [g for g in moved.json()["gates"] if g["stage"] == "evaluation"]
    assert evaluation["is_open"] and evaluation["met_by"] == ["evaluation_report"]


def test_the_api_override_is_the_citys_and_needs_a_reason(project, personas):
    url = reverse("project-transition", args=[project.pk])
    payload = {"target": "evaluation", "override": True}
    manager = _api(personas.manager).post(
        url, {**payload, "reason": "x"}, content_type="application/json"
    )
    assert manager.status_code == 400
    assert manager.json()["fields"]["non_field_errors"][0]["code"] == "transition_forbidden"
    city = _api(personas.municipal_admin)
    no_reason = city.post(url, payload, content_type="application/json")
    assert no_reason.json()["fields"]["non_field_errors"][0]["code"] == "reason_required"
    done = city.post(url, {**payload, "reason": "报告补交中"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["stage"] == "evaluation"
    assert _events(project, E.STAGE_GATE_OVERRIDDEN).count() == 1


def test_the_project_list_reads_gates_in_a_constant_number_of_queries(
    personas, django_assert_max_num_queries
):
    client = _api(personas.institution_admin)
    url = reverse("project-list")

    def add(n):
        for i in range(n):
            p = services.create_project(
                actor=personas.institution_admin, institution=personas.university, title=f"项目{i}"
            )
            record_report(p, personas.institution_admin)

    add(2)
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).json()
    assert all(len(p["gates"]) == 3 for p in body["results"])


# ---------------------------------------------------------------- the demo
def test_the_demo_shows_no_stage_without_its_evidence(personas):
    from conftest import PASSWORD
    from tmhub.accounts.services import create_user
    from tmhub.core.demo.base import DemoContext
    from tmhub.transfer import demo

    create_user(actor=SYSTEM, username="admin", password=PASSWORD, is_superuser=True)
    demo.seed(DemoContext())
    order = list(Stage.values)
    projects = list(Project.objects.all())
    gates.prime(projects)
    late = [p for p in projects if order.index(p.stage) >= order.index(Stage.EVALUATION)]
    assert late
    for p in projects:
        passed = [g for g in gates.gates(p) if order.index(g.stage) <= order.index(p.stage)]
        assert all(g.is_open for g in passed), (p.title, p.stage, [g.stage for g in passed])
    assert not _events_of_type(E.STAGE_GATE_OVERRIDDEN)
    for p in Project.objects.filter(stage__in=[Stage.TRANSACTION, Stage.LANDING]):
        assert p.contracts.exists()


def _events_of_type(event_type):
    return WorkflowEvent.objects.filter(event_type=event_type).exists()
