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
