"""Demo catalogue (manage.py seed_demo): the demo's own provider organisations
(tmhub/core/demo/organizations.json) each offer the services of their kind, as listed in
tmhub/matching/data/provider_services.json; most are public, one waits for city review and
the demo provider keeps a draft. Idempotent: an organisation's entry is made once per type."""

from tmhub.core.actors import SYSTEM
from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.models import District
from tmhub.network import services
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ProviderService, ServiceType
from tmhub.orgs.models import Organization

# kind of organisation → (service type, 中文 title, English title, price from, up to (yuan)
# or None for on request, capacity a year)
OFFERS = {
    "ip_agency": [("patent_drafting", "发明专利撰写与申请代理",
                   "Invention patent drafting and filing", 5000, 15000, 120),
                  ("fto_search", "自由实施（FTO）检索与侵权风险分析",
                   "FTO search and risk analysis", 20000, 80000, 30)],
    "law_firm": [("legal_dd", "科技成果转化法律尽职调查", "Legal due diligence for transfers",
                  30000, 150000, 20),
                 ("contract_drafting", "技术许可与转让合同起草审查",
                  "Licence and assignment contract drafting", 8000, 30000, 60)],
    "accounting_firm": [("audit", "科技企业审计与财务咨询", "Audit for technology firms",
                         20000, 100000, 40),
                        ("valuation", "无形资产评估（技术作价入股）",
                         "Intangible asset valuation for equity", 30000, 120000, 25)],
    "transfer_agency": [("tech_brokerage", "技术经纪与供需对接", "Technology brokerage",
                         None, None, 80)],
    "angel": [("angel", "早期项目天使投资", "Angel investment in early projects",
               None, None, 15)],
    "venture_capital": [("venture", "硬科技创业投资", "Venture capital for deep tech",
                         None, None, 10)],
    "loan_guarantee": [("guarantee", "知识产权质押融资担保", "Guarantees for IP-backed loans",
                        None, None, 50)],
    "bank": [("bank_loan", "科技信贷与知识产权质押贷款", "Technology credit and IP-backed loans",
              None, None, 200)],
    "new_rd": [("pilot_testing", "中试熟化与工程化开发", "Pilot-scale testing and engineering",
                100000, 800000, 12)],
    "proof_of_concept": [("poc_funding", "概念验证项目资助与辅导", "Proof-of-concept funding",
                          None, None, 30)],
    "public_platform": [("testing", "生物医药分析检测服务", "Biomedical analysis and testing",
                         2000, 50000, 300)],
    "incubator": [("incubation_space", "孵化空间与创业辅导", "Incubation space and coaching",
                   None, None, 40)],
    "science_park": [("incubation_space", "大学科技园入驻孵化", "Science-park incubation",
                      None, None, 30)],
}


def seed(ctx) -> None:
    seed_catalogue()
    seed_needs_and_collaborations(ctx)


def seed_catalogue() -> None:
    types = {t.code: t for t in ServiceType.objects.all()}
    providers = Organization.objects.filter(kind__in=SERVICE_PROVIDER_KINDS, is_active=True)
    kept_in_review = False
    for org in providers.order_by("pk"):
        for n, (code, zh, en, low, high, capacity) in enumerate(OFFERS.get(org.kind, [])):
            if ProviderService.objects.filter(provider=org, service_type=types[code]).exists():
                continue
            districts = list(District.objects.filter(pk=org.district_id)) if org.district_id \
                else []
            service = services.create_service(
                actor=SYSTEM, provider=org, service_type=types[code], title=zh, title_en=en,
                price_min_fen=low * 100 if low else None,
                price_max_fen=high * 100 if high else None, price_on_request=low is None,
                capacity=capacity, languages="中文, English" if n == 0 else "中文",
                international=org.kind in ("ip_agency", "law_firm") and n == 0,
                fields=list(org.fields.all()), districts=districts)
            if org.kind == "ip_agency" and n == 1:
                continue  # the demo provider's second entry stays a draft
            services.step(service, ServiceStatus.SUBMITTED, actor=SYSTEM)
            if org.kind == "law_firm" and n == 1 and not kept_in_review:
                kept_in_review = True  # waits in the city's review queue
                continue
            services.step(service, ServiceStatus.PUBLISHED, actor=SYSTEM)


# ---------------------------------------------------------------- needs, collaborations, money
# (service type, 需求, days ago it was posted, what happens): the demo's transfer projects ask
# for these services; the demo provider's user answers (accepts, declines or has yet to).
NEEDS = [
    ("patent_drafting", "核心技术发明专利布局与申请", 420, "rated"),
    ("fto_search", "产品上市前自由实施（FTO）检索", 300, "rated"),
    ("patent_drafting", "PCT国际专利申请代理", 160, "provider_to_rate"),
    ("fto_search", "技术许可前专利稳定性分析", 75, "in_progress"),
    ("patent_drafting", "外围专利挖掘与申请", 40, "declined"),
    ("patent_drafting", "实用新型专利快速申请", 6, "waiting"),
]
CLIENT = {"quality": 5, "timeliness": 4, "communication": 5, "value": 4}
PROVIDER = {"clarity": 4, "cooperation": 5, "payment": 5}
# (kind, instrument, investor kind in the registry or None, amount yuan, days ago, share %, fund)
ROUNDS = [
    ("angel", "equity", "angel", 3_000_000, 900, 10, False),
    ("guidance_fund", "equity", None, 5_000_000, 700, 8, True),
    ("venture", "equity", "venture_capital", 20_000_000, 420, 12, True),
    ("bank_credit", "debt", "bank", 8_000_000, 200, None, False),
    ("loan", "debt", "bank", 2_000_000, 90, None, False),
]


def _ago(days):
    import datetime

    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=days)


def seed_needs_and_collaborations(ctx) -> None:
    import datetime

    from django.contrib.auth import get_user_model

    from tmhub.core.demo import clock
    from tmhub.network import collaborations, financing, needs
    from tmhub.network.choices import CollaborationStatus, IntroductionStatus
    from tmhub.network.models import Collaboration, Financing, ServiceNeed
    from tmhub.transfer.models import Project

    provider_user = get_user_model().objects.filter(username="provider").first()
    provider = Organization.objects.filter(
        memberships__user=provider_user, memberships__role="service_provider").first() \
        if provider_user else None
    if provider is None or ServiceNeed.objects.exists():
        return
    types = {t.code: t for t in ServiceType.objects.all()}
    projects = list(Project.objects.filter(assignments__released_on__isnull=True,
                                           started_on__lte=_ago(450))
                    .select_related("institution").distinct().order_by("pk")[:len(NEEDS)])
    for project, (code, title, days, fate) in zip(projects, NEEDS, strict=False):
        lead = (project.assignments.filter(released_on__isnull=True)
                .select_related("user").first().user)
        posted = max(_ago(days), project.started_on)
        with clock.happened(posted):
            need = needs.post_need(actor=lead, project=project, service_type=types[code],
                                   title=title, budget_fen=(20_000 + days * 50) * 100,
                                   deadline=_ago(-30), description="（演示数据）")
        clock.backdate(need, posted)
        if posted + datetime.timedelta(days=30) < _ago(0):  # its deadline has passed
            ServiceNeed.objects.filter(pk=need.pk).update(
                deadline=posted + datetime.timedelta(days=30))
        need.refresh_from_db()
        with clock.happened(posted, minute=30):
            introduction = needs.introduce(need, actor=lead, provider=provider,
                                           message="请评估是否可以承接（演示数据）")
        clock.backdate(introduction, posted)
        if fate == "waiting":
            continue
        answered = posted + datetime.timedelta(days=2)
        target = (IntroductionStatus.DECLINED if fate == "declined"
                  else IntroductionStatus.ACCEPTED)
        with clock.happened(answered):
            needs.answer(introduction, target, actor=provider_user,
                         reason="本季度排期已满" if fate == "declined" else "")
        if fate == "declined":
            continue
        started = answered + datetime.timedelta(days=5)
        with clock.happened(started):
            collaboration = collaborations.start_collaboration(
                introduction, actor=lead, scope=title, started_on=started,
                ends_on=started + datetime.timedelta(days=90),
                fee_fen=(15_000 + days * 40) * 100)
        clock.backdate(collaboration, started)
        if fate == "in_progress":
            continue
        done = min(started + datetime.timedelta(days=80), _ago(10))
        with clock.happened(done):
            collaborations.update_collaboration(collaboration, actor=lead,
                                                outcome="按约完成并提交全部成果文件（演示数据）")
            collaboration.refresh_from_db()
            collaborations.step(collaboration, CollaborationStatus.COMPLETED, actor=lead)
        closes = done + datetime.timedelta(days=30)
        Collaboration.objects.filter(pk=collaboration.pk).update(completed_on=done,
                                                                rating_closes_on=max(
                                                                    closes, _ago(-5)))
        collaboration.refresh_from_db()
        with clock.happened(done + datetime.timedelta(days=3)):
            collaborations.rate(collaboration, actor=lead, scores=CLIENT,
                                comment="沟通及时，交付质量高（演示数据）")
        if fate == "rated":
            with clock.happened(done + datetime.timedelta(days=4)):
                collaborations.rate(collaboration, actor=provider_user, scores=PROVIDER,
                                    comment="需求明确，配合顺畅（演示数据）")
    investors = {k: Organization.objects.filter(kind=k, is_active=True).order_by("pk").first()
                 for k in ("angel", "venture_capital", "bank")}
    if Financing.objects.exists():
        return
    from tmhub.network.choices import FinancingStatus

    recorded = []
    for n, project in enumerate(projects[:3]):
        lead = (project.assignments.filter(released_on__isnull=True)
                .select_related("user").first().user)
        # The second person: an administrator of the project's institution (four-eyes).
        approver = (get_user_model().objects.filter(
            memberships__role="institution_admin", memberships__is_active=True,
            memberships__organization=project.institution, is_active=True)
            .exclude(pk=lead.pk).order_by("pk").first())
        for kind, instrument, investor_kind, yuan, days, share, fund in ROUNDS[n::2] or ROUNDS:
            day = max(_ago(days), project.started_on)
            investor = investors.get(investor_kind) if investor_kind else None
            with clock.happened(day):
                round_ = financing.record_financing(
                    actor=lead, project=project, kind=kind, instrument=instrument,
                    investor=investor,
                    investor_name="" if investor else "北京市科技创新基金子基金（演示数据）",
                    amount_fen=yuan * 100, financed_on=day, equity_share=share,
                    beijing_fund=fund)
            recorded.append((round_, approver, day))
    # Every round approved a few days after it was recorded, except the latest one, which
    # awaits its approver today (so the pages and My work show both states).
    latest = max(recorded, key=lambda row: row[2], default=None)
    for round_, approver, day in recorded:
        if approver is None or (round_, approver, day) == latest:
            continue
        approved = min(day + datetime.timedelta(days=3), _ago(0))
        with clock.happened(approved):
            financing.step(round_, FinancingStatus.APPROVED, actor=approver)
        Financing.objects.filter(pk=round_.pk).update(decided_at=clock.moment(approved),
                                                      updated_at=clock.moment(approved))
    # The records' own creation times, as the audit trail's (clock.happened dates only those;
    # after the steps, which save the rounds as loaded).
    for round_, _approver, day in recorded:
        Financing.objects.filter(pk=round_.pk).update(created_at=clock.moment(day))
    if ctx.stdout is not None:
        ctx.stdout.write(f"  network: {ServiceNeed.objects.count()} needs, "
                         f"{Collaboration.objects.count()} collaborations, "
                         f"{Financing.objects.count()} financing rounds")
