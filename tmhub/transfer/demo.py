"""A believable year of transfer work: disclosures, demands, projects in every stage,
introductions, contracts, receipts, costs and reward splits (draft and approved).

Everything goes through the services. Idempotent: an institution that already has demo
achievements is skipped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tmhub.accounts.models import Membership
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_change
from tmhub.core.choices import OrgKind
from tmhub.core.demo import clock, csl
from tmhub.core.models import IndustryField, ObjectChange
from tmhub.core.roles import Role
from tmhub.orgs.models import Organization
from tmhub.transfer import services
from tmhub.transfer.choices import ActivityKind, ContractKind, PartyRole, RuleLevel, Stage
from tmhub.transfer.models import Achievement, Demand, Receipt, RewardRule
from tmhub.transfer.rewards_engine import Person
from tmhub.transfer.splits import default_mode_for
from tmhub.transfer.workflows import FORWARD

# Transfer modes and readiness levels the demo's disclosures ask for (their subjects are real
# CSL records drawn for each institution's disciplines: tmhub.core.demo.csl).
MODES = ["licence", "licence", "assignment", "cooperation", "equity"]
ACHIEVEMENTS_PER_INSTITUTION = 4
INSTITUTIONS = 6
DEMANDS = [
    (
        "产线外观缺陷自动检测",
        "AI",
        "现有人工目检漏检率约3%，希望引入视觉检测，单线节拍不低于2秒/件。",
    ),
    ("动力电池安全性提升方案", "EQUIP", "寻求可量产的固态或半固态电解质技术，解决热失控风险。"),
    ("合同智能审核工具", "AI", "法务部门每月审核合同千余份，需要中文合同风险点自动识别。"),
    ("医疗器械注册检验合作", "MED", "新型植介入器械需要动物实验与型式检验合作伙伴。"),
    ("边缘AI推理芯片选型与定制", "IC", "智能摄像头产品需要功耗低于1W的推理芯片方案。"),
    ("设备运维数据分析", "AI", "数千台数控机床运行数据需要故障预测模型。"),
    ("园区5G专网优化", "NGIT", "工业园区5G专网覆盖与时延优化。"),
    ("创新药临床前CRO合作", "MED", "寻找ADC候选分子的药效与毒理评价合作方。"),
]
STAGE_PLAN = [
    Stage.LANDING,
    Stage.TRANSACTION,
    Stage.NEGOTIATION,
    Stage.PROMOTION,
    Stage.EVALUATION,
    Stage.MATURATION,
    Stage.INCUBATION,
    Stage.MINING,
]
PATH = {  # a believable route to each stage
    Stage.MINING: [],
    Stage.CULTIVATION: [Stage.CULTIVATION],
    Stage.INCUBATION: [Stage.CULTIVATION, Stage.INCUBATION],
    Stage.MATURATION: [Stage.CULTIVATION, Stage.MATURATION],
    Stage.EVALUATION: [Stage.EVALUATION],
    Stage.PROMOTION: [Stage.EVALUATION, Stage.PROMOTION],
    Stage.NEGOTIATION: [Stage.EVALUATION, Stage.PROMOTION, Stage.NEGOTIATION],
    Stage.TRANSACTION: [Stage.EVALUATION, Stage.PROMOTION, Stage.NEGOTIATION, Stage.TRANSACTION],
    Stage.LANDING: [
        Stage.EVALUATION,
        Stage.PROMOTION,
        Stage.NEGOTIATION,
        Stage.TRANSACTION,
        Stage.LANDING,
    ],
}
INVENTOR_NAMES = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄杰", "周婷", "吴昊"]


def _managers_by_institution(limit=12):
    rows = (
        Membership.objects.filter(
            role=Role.MANAGER,
            is_active=True,
            organization__kind__in=[
                OrgKind.UNIVERSITY,
                OrgKind.RESEARCH_INSTITUTE,
                OrgKind.MEDICAL,
            ],
        )
        .select_related("user", "organization")
        .order_by("organization__name", "user_id")
    )
    result: dict = {}
    for m in rows:
        result.setdefault(m.organization, []).append(m.user)
    ordered = sorted(result.items(), key=lambda item: (item[0].name != "清华大学", -len(item[1])))
    return ordered[:limit]


def _institution_rule(institution):
    if RewardRule.objects.filter(level=RuleLevel.INSTITUTION, institution=institution).exists():
        return
    # Rules are data the administrators keep (there is no service for them); the demo records
    # its one rule as the platform's own change.
    rule = RewardRule.objects.create(
        name=f"{institution.name}：技术开发、咨询、服务净收入奖励（示例）",
        level=RuleLevel.INSTITUTION,
        institution=institution,
        transfer_mode="other",
        basis="net_income",
        min_team_share=Decimal(50),
        default_team_share=Decimal(60),
        default_office_share=Decimal(10),
        default_institution_share=Decimal(30),
        legal_basis=f"《{institution.name}科技成果转化管理办法》（演示数据）：横向技术开发、咨询、"
        "服务项目净收入的奖励比例由单位规定，团队不低于50%。",
        effective_from=datetime.date(2021, 1, 1),
        confirmed=False,  # a demo figure, not an official one
    )
    record_change(actor=SYSTEM, obj=rule, action=ObjectChange.Action.CREATE, before=None)


def seed(ctx) -> None:
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    fields = {f.code: f for f in IndustryField.objects.all()}
    enterprises = list(Organization.objects.filter(kind=OrgKind.ENTERPRISE).order_by("name")[:12])
    if not enterprises:
        return
    rng = ctx.rng
    today = timezone.localdate()
    # The demo's work spans the last year and a half, so last year's annual filing (the one
    # due now) and this year's dashboard both have records behind them.
    year_ago = today - datetime.timedelta(days=600)
    demands = _seed_demands(ctx, enterprises, fields, admin, today, year_ago)
    used: set[str] = set()
    seeded = 0
    for institution, managers in _managers_by_institution():
        records = csl.draw(institution.name, institution.kind, ACHIEVEMENTS_PER_INSTITUTION, used,
                           technology=True)
        if len(records) < ACHIEVEMENTS_PER_INSTITUTION or seeded == INSTITUTIONS:
            continue  # an institution of the humanities alone discloses no technology
        n, seeded = seeded, seeded + 1
        if Achievement.objects.filter(owner=institution).exists():
            continue
        _institution_rule(institution)
        chief = (
            User.objects.filter(username="tto_admin").first()
            if institution.name == "清华大学"
            else admin
        )
        for k, record in enumerate(records):
            stage = STAGE_PLAN[(n + k * 3) % len(STAGE_PLAN)]
            _seed_project(
                ctx,
                rng,
                institution,
                managers,
                chief or admin,
                record,
                stage,
                demands,
                enterprises,
                fields,
                year_ago,
            )
    ctx.log(
        f"transfer: {Achievement.objects.count()} achievements, {Demand.objects.count()} demands"
    )


def _published_on(n: int, today, year_ago) -> datetime.date:
    """The day the demo's n-th demand was published: the first five before the projects
    began (in the plan period, so projects can take them up), the rest this year."""
    if n < 5:
        return year_ago - datetime.timedelta(days=20 + 9 * n)
    return today - datetime.timedelta(days=20 + 9 * n)


def _seed_demands(ctx, enterprises, fields, admin, today, year_ago):
    result = []
    for n, (title, code, problem) in enumerate(DEMANDS):
        company = enterprises[n % len(enterprises)]
        demand = Demand.objects.filter(title=title, organization=company).first()
        if demand is None:
            published_on = _published_on(n, today, year_ago)
            with clock.happened(published_on):
                demand = services.create_demand(
                    actor=admin,
                    organization=company,
                    title=title,
                    problem=problem,
                    expected_outcome="形成可落地的技术方案并签订技术合同。",
                    field=fields.get(code),
                    keywords=",".join(csl.keywords(title, problem, limit=3)),
                    budget_min_fen=ctx.rng.randint(5, 50) * 10_000_00,
                    budget_max_fen=ctx.rng.randint(60, 300) * 10_000_00,
                    deadline=today + datetime.timedelta(days=ctx.rng.randint(30, 200)),
                    contact_name="项目联系人",
                    contact_phone=f"010-6{ctx.rng.randint(1000000, 9999999)}",
                )
                if n != len(DEMANDS) - 1:  # one stays a draft
                    demand = services.publish_demand(demand, actor=admin)
            clock.backdate(demand, published_on)
            demand.refresh_from_db()
        result.append(demand)
    return result


def _seed_project(
    ctx, rng, institution, managers, chief, record, stage, demands, enterprises, fields, year_ago
):
    """One disclosure and its project, each step on its own day: disclosed, published, the
    project started, visits and reports, the stage moves that follow them, then the money."""
    title, code = record.title, csl.FIELD_OF.get(record.discipline)
    keywords = ",".join(csl.keywords(record.title, record.abstract))
    mode, trl = rng.choice(MODES), rng.randint(3, 8)
    names = rng.sample(INVENTOR_NAMES, 3)
    inventors = [
        {"name": names[0], "affiliation": institution.name, "share": Decimal(50)},
        {"name": names[1], "affiliation": institution.name, "share": Decimal(30)},
        {"name": names[2], "affiliation": institution.name, "share": Decimal(20)},
    ]
    lead = managers[0] if stage in (Stage.LANDING, Stage.TRANSACTION) else rng.choice(managers)
    disclosed = year_ago + datetime.timedelta(days=rng.randint(0, 60))
    with clock.happened(disclosed):
        achievement = services.create_achievement(
            actor=chief,
            owner=institution,
            title=title,
            field=fields.get(code),
            keywords=keywords,
            abstract=record.abstract[:5000],
            trl=trl,
            transfer_mode=mode,
            inventors=inventors,
            asking_terms="许可费+销售提成，可谈" if mode == "licence" else "面议",
            disclosed_on=disclosed,
        )
        services.assign_achievement_manager(achievement, actor=chief, user=lead)
    clock.backdate(achievement, disclosed)
    if stage not in (Stage.MINING, Stage.INCUBATION):
        with clock.happened(disclosed + datetime.timedelta(days=rng.randint(7, 20)), achievement):
            services.publish_achievement(achievement, actor=chief)
    started = disclosed + datetime.timedelta(days=rng.randint(21, 30))
    # a project takes up a demand of its field already published when it starts
    matching = [d for d in demands if d.field_id and d.field_id == achievement.field_id
                and d.published_at and timezone.localtime(d.published_at).date() <= started][:1]
    with clock.happened(started):
        project = services.create_project(
            actor=chief,
            institution=institution,
            lead=lead,
            title=f"{title}转化项目",
            description=f"围绕{title}开展成果挖掘、评价与对接。",
            field=fields.get(code),
            achievements=[achievement],
            demands=matching,
            started_on=started,
        )
        helpers = [m for m in managers if m != lead][:1]
        assignments = [services.assign_manager(project, actor=chief, user=h) for h in helpers]
    for row in (project, *assignments):
        clock.backdate(row, started)
    partner = matching[0].organization if matching else rng.choice(enterprises)
    base = clock.moment(started)
    steps = [
        (ActivityKind.MEETING, "与发明人团队访谈，梳理技术要点"),
        (ActivityKind.EVALUATION, "组织专家开展技术成熟度与市场评价"),
        (ActivityKind.INTRODUCTION, f"向{partner.name}引荐该成果"),
        (ActivityKind.NEGOTIATION, "就许可费与提成比例进行谈判"),
    ]
    reach = {Stage.LANDING: 4, Stage.TRANSACTION: 4, Stage.NEGOTIATION: 3, Stage.PROMOTION: 2}.get(
        stage, 1
    )
    # Visits 40 days apart; the stage moves below follow the step they depend on.
    days = [10 + 40 * i + rng.randint(0, 20) for i in range(len(steps))]
    for i, (kind, summary) in enumerate(steps[:reach]):
        occurred = base + datetime.timedelta(days=days[i])
        with clock.happened(occurred + datetime.timedelta(hours=6)):
            services.record_activity(
                project,
                actor=lead,
                kind=kind,
                summary=summary,
                manager=lead,
                occurred_at=occurred,
                counterpart=partner
                if kind in (ActivityKind.INTRODUCTION, ActivityKind.NEGOTIATION)
                else None,
            )
    moved_on = {
        Stage.CULTIVATION: started + datetime.timedelta(days=30),
        Stage.INCUBATION: started + datetime.timedelta(days=90),
        Stage.MATURATION: started + datetime.timedelta(days=120),
        Stage.PROMOTION: started + datetime.timedelta(days=days[1] + 20),
        Stage.NEGOTIATION: started + datetime.timedelta(days=days[2] + 7),
    }
    split = None
    for target in PATH[stage]:
        assert target in FORWARD[project.stage] or target == project.stage
        # Each gate's evidence comes first, as an office would file it: the valuation report
        # before 评价, the signed contract (and its first payment) before 交易.
        if target == Stage.EVALUATION:
            report_on = started + datetime.timedelta(days=rng.randint(45, 60))
            _seed_report(rng, project, lead, report_on)
            moved_on[target] = report_on + datetime.timedelta(days=3)
        if target == Stage.TRANSACTION:
            split, paid_on = _seed_money(
                rng, institution, project, partner, lead, chief, inventors, mode,
                after=started + datetime.timedelta(days=days[3]), early=stage == Stage.LANDING,
            )
            moved_on[target] = paid_on + datetime.timedelta(days=2)
            moved_on[Stage.LANDING] = paid_on + datetime.timedelta(days=rng.randint(20, 40))
        with clock.happened(_past(moved_on[target])):
            project = services.move_project(project, target, actor=lead)
        clock.backdate(project, _past(moved_on[target]))
    if split is not None and project.stage == Stage.LANDING:
        with clock.happened(_past(moved_on[Stage.LANDING]), split):
            services.approve_split(split, actor=chief)


def _past(day):
    """A planned day, but never today or later (the demo records what has happened)."""
    return min(day, timezone.localdate() - datetime.timedelta(days=1))


APPRAISERS = ["北京中联资产评估有限公司", "北京天健兴业资产评估有限公司", "中科院科技成果评价中心"]


def _seed_report(rng, project, lead, on):
    """The evaluation gate's evidence: a valuation report (or an expert evaluation report),
    filed the day after it is dated."""
    valuation = rng.random() < 0.6
    with clock.happened(on + datetime.timedelta(days=1)):
        _record_report(rng, project, lead, on, valuation)


def _record_report(rng, project, lead, on, valuation):
    services.record_evidence(
        project,
        actor=lead,
        kind="valuation_report" if valuation else "evaluation_report",
        occurred_on=on,
        title=f"京评报字[{on.year}]第{rng.randint(100, 999)}号"
        if valuation
        else f"科技成果评价报告 {on.year}-{rng.randint(10, 99)}",
        party=rng.choice(APPRAISERS[:2]) if valuation else APPRAISERS[2],
        amount_fen=rng.randint(80, 900) * 10_000_00 if valuation else None,
        note="评估基准日前后无重大事项（演示数据）。",
    )


def _seed_money(rng, institution, project, partner, lead, chief, inventors, mode, *, after, early):
    """The contract signed after the negotiation (`after`), its registration, first payment,
    costs and the reward split drafted on that income; returns the split and the payment day."""
    kind = {"assignment": ContractKind.ASSIGNMENT, "licence": ContractKind.LICENCE}.get(
        mode, ContractKind.DEVELOPMENT
    )
    # Projects that have landed signed within weeks of the negotiation (around the turn of
    # last year); those still at the transaction stage took longer and signed this year.
    signed = _past(after + datetime.timedelta(days=rng.randint(20, 45) if early
                                              else rng.randint(150, 250)))
    signed = min(signed, timezone.localdate() - datetime.timedelta(days=75))
    amount = rng.randint(50, 800) * 10_000_00
    with clock.happened(signed + datetime.timedelta(days=2)):
        contract = services.create_contract(
            actor=lead,
            institution=institution,
            project=project,
            title=f"{project.title[:40]}合同",
            kind=kind,
            amount_fen=amount,
            signed_on=signed,
            term_start=signed,
            term_end=signed + datetime.timedelta(days=730),
            registration_number=f"{signed.year}110108{rng.randint(0, 999999):06d}",
            registered_on=signed + datetime.timedelta(days=10),
            parties=[(institution, PartyRole.SELLER), (partner, PartyRole.BUYER)],
            installments=[
                (signed + datetime.timedelta(days=30), amount // 2, "首付款"),
                (signed + datetime.timedelta(days=365), amount - amount // 2, "尾款"),
            ],
        )
    clock.backdate(contract, signed + datetime.timedelta(days=2))
    received_on = signed + datetime.timedelta(days=rng.randint(20, 60))
    with clock.happened(received_on):
        services.record_receipt(
            contract, actor=lead, received_on=received_on, amount_fen=amount // 2,
            note="首付款到账",
        )
        services.record_cost(
            contract,
            actor=lead,
            incurred_on=received_on,
            category="agency",
            amount_fen=amount // 50,
            note="评估及代理费",
        )
    if not Receipt.objects.reversals().exists():  # one correction to see: a duplicate reversed
        with clock.happened(received_on + datetime.timedelta(days=3)):
            duplicate = services.record_receipt(
                contract, actor=lead, received_on=received_on, amount_fen=amount // 2,
                note="首付款到账",
            )
            services.reverse_receipt(
                duplicate, actor=chief, reason="重复录入：同一笔首付款录了两次（已按银行回单核对）"
            )
    net = contract.net_income_fen()
    people = [Person(i["name"], i["share"]) for i in inventors]
    mode_for_split = default_mode_for(contract)
    # The lead manager drafts, the institution's administrator approves (four eyes).
    drafted = received_on + datetime.timedelta(days=5)
    with clock.happened(drafted):
        split = services.create_split(
            actor=lead,
            institution=institution,
            contract=contract,
            transfer_mode=mode_for_split,
            income_date=received_on,
            amount_fen=net,
            people=people,
        )
    clock.backdate(split, drafted)
    return split, drafted
