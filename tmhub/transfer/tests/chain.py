"""A whole transfer chain made through the services, for tests and permission cases."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from tmhub.accounts.models import User
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.transfer import services
from tmhub.transfer.choices import ActivityKind, ContractKind, PartyRole, Stage
from tmhub.transfer.rewards_engine import Person

INVENTORS = [
    {"name": "王教授", "affiliation": "测试大学", "share": Decimal("60")},
    {"name": "李博士", "affiliation": "测试大学", "share": Decimal("40")},
]


@dataclass
class Chain:
    draft: object  # confidential disclosure of personas.university
    published: object
    demand_draft: object
    demand_published: object
    project: object  # manager is lead; at TRANSACTION
    contract: object
    split_draft: object
    split_approved: object
    root: object


def root_user():
    return User.objects.filter(username="chain_root").first() or User.objects.create_superuser(
        "chain_root", "root@example.cn", "x"
    )


def make_achievement(personas, title="机密发明：固态电池电解质", publish=False, actor=None):
    actor = actor or personas.manager
    achievement = services.create_achievement(
        actor=actor,
        owner=personas.university,
        title=title,
        abstract="一种高离子电导率的固态电解质材料。",
        keywords="固态电池,电解质",
        trl=4,
        inventors=INVENTORS,
    )
    if publish:
        achievement = services.publish_achievement(achievement, actor=personas.institution_admin)
    return achievement


def record_report(project, actor, kind="valuation_report"):
    """The evaluation gate's evidence: a valuation report recorded on the project."""
    return services.record_evidence(
        project,
        actor=actor,
        kind=kind,
        occurred_on=datetime.date(2025, 2, 1),
        title="资产评估报告 京评报字[2025]第001号",
        party="北京测试资产评估有限公司",
        amount_fen=80_000_000,
    )


def record_contract_with_receipt(project, personas, amount_fen=1_000_000):
    """The 交易 and 落地 gates' evidence: a signed licence linked to the project, half paid."""
    contract = services.create_contract(
        actor=personas.institution_admin,
        institution=project.institution,
        project=project,
        title="成果许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=amount_fen,
        signed_on=datetime.date(2025, 3, 1),
        parties=[(project.institution, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )
    services.record_receipt(
        contract,
        actor=personas.institution_admin,
        received_on=datetime.date(2025, 4, 1),
        amount_fen=amount_fen // 2,
    )
    return contract


def walk_to(project, target, actor, *, override_by=None):
    """Move `project` forward to `target`. The evaluation gate's report is recorded on the
    way; a contract (for 交易) or a receipt (for 落地) must exist already, unless
    `override_by` (a municipal administrator) moves past the missing gates with a reason."""
    from tmhub.transfer import gates

    path = [
        Stage.MINING,
        Stage.EVALUATION,
        Stage.PROMOTION,
        Stage.NEGOTIATION,
        Stage.TRANSACTION,
        Stage.LANDING,
    ]
    for stage in path[path.index(project.stage) + 1 : path.index(target) + 1]:
        if not gates.gate(project, stage).is_open:
            if override_by is not None:
                project = services.move_project(
                    project, stage, actor=override_by, override=True, reason="测试：越过阶段门"
                )
                continue
            if stage == Stage.EVALUATION:
                record_report(project, actor)
        project = services.move_project(project, stage, actor=actor)
    return project


def _free_registration_number() -> str:
    """A contract registration number no contract holds yet: a permission matrix builds more
    than one chain (the transfer app's and the case library's) in one database."""
    from tmhub.transfer.models import Contract

    serial = 123
    while Contract.objects.filter(registration_number=f"20251101080{serial:05d}").exists():
        serial += 1
    return f"20251101080{serial:05d}"


def make_chain(personas) -> Chain:
    root = root_user()
    draft = make_achievement(personas)
    published = make_achievement(personas, "已发布：智能巡检机器人", publish=True)
    demand_draft = services.create_demand(
        actor=personas.enterprise,
        organization=personas.company,
        title="草稿需求",
        problem="产线视觉检测漏检率高",
        contact_phone="13800000000",
    )
    demand_published = services.create_demand(
        actor=personas.enterprise,
        organization=personas.company,
        title="高精度视觉检测需求",
        problem="需要缺陷检测算法",
        contact_name="周经理",
        contact_phone="13900000000",
    )
    demand_published = services.publish_demand(demand_published, actor=personas.enterprise)
    project = services.create_project(
        actor=personas.manager,
        institution=personas.university,
        title="固态电池电解质转化项目",
        achievements=[draft],
        demands=[demand_published],
    )
    services.record_activity(
        project,
        actor=personas.manager,
        kind=ActivityKind.INTRODUCTION,
        summary="引荐测试科技有限公司",
        counterpart=personas.company,
    )
    project = walk_to(project, Stage.NEGOTIATION, personas.manager)
    contract = services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=project,
        title="固态电解质专利许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=100_000_000,
        signed_on=datetime.date(2025, 3, 1),
        registration_number=_free_registration_number(),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )
    services.record_receipt(
        contract,
        actor=personas.manager,
        received_on=datetime.date(2025, 4, 1),
        amount_fen=60_000_000,
    )
    project = walk_to(project, Stage.TRANSACTION, personas.manager)
    services.record_cost(
        contract,
        actor=personas.manager,
        incurred_on=datetime.date(2025, 4, 2),
        category="agency",
        amount_fen=1_000_000,
    )
    people = [Person("王教授", Decimal(60)), Person("李博士", Decimal(40))]
    split_approved = services.create_split(
        actor=personas.manager,  # drafted by the manager, approved by a second person
        institution=personas.university,
        contract=contract,
        income_date=datetime.date(2025, 4, 1),
        amount_fen=30_000_000,
        people=people,
    )
    split_approved = services.approve_split(split_approved, actor=personas.institution_admin)
    split_draft = services.create_split(
        actor=personas.manager,
        institution=personas.university,
        contract=contract,
        income_date=datetime.date(2025, 4, 1),
        amount_fen=10_000_001,
        people=people,
    )
    return Chain(
        draft,
        published,
        demand_draft,
        demand_published,
        project,
        contract,
        split_draft,
        split_approved,
        root,
    )


@dataclass
class Team:
    lead: object  # another manager of personas.university
    project: object  # led by `lead`; personas.manager is a supporting manager on it
    lead_assignment: object
    support_assignment: object  # personas.manager's
    left_project: object  # personas.manager led it and was released
    left_contract: object
    left_split: object  # a draft split personas.manager drafted before being released


def make_team(personas) -> Team:
    """Projects where personas.manager is only a supporting manager, or no longer assigned."""
    from tmhub.accounts.services import create_user, grant_membership

    admin = personas.institution_admin
    lead = create_user(actor=SYSTEM, username="p_lead", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=lead, role=Role.MANAGER, organization=personas.university)
    project = services.create_project(
        actor=admin, institution=personas.university, title="团队项目", lead=lead
    )
    support = services.assign_manager(project, actor=admin, user=personas.manager)
    left = services.create_project(
        actor=admin, institution=personas.university, title="已退出的项目", lead=personas.manager
    )
    contract = services.create_contract(
        actor=personas.manager,
        institution=personas.university,
        project=left,
        title="已退出项目的许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=2_000_000,
        signed_on=datetime.date(2025, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )
    services.record_receipt(
        contract, actor=admin, received_on=datetime.date(2025, 4, 1), amount_fen=2_000_000
    )
    split = services.create_split(
        actor=personas.manager,
        institution=personas.university,
        contract=contract,
        income_date=datetime.date(2025, 4, 1),
        amount_fen=1_000_000,
        people=[Person("王教授", Decimal(100))],
    )
    services.release_manager(left.assignments.get(user=personas.manager), actor=admin)
    return Team(
        lead=lead,
        project=project,
        lead_assignment=project.assignments.get(user=lead),
        support_assignment=support,
        left_project=left,
        left_contract=contract,
        left_split=split,
    )
