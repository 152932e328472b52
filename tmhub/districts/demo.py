"""Demo data of the districts (SPEC §9), consistent with the demo city: Haidian's officer runs
liaison agreements with institutions located in Haidian (by the shared data's districts),
commissioner posts in parks, matchmaking events with registrations and attendance, and the
landings of results — contracts of the transfer demo whose transferee is in the district, and
companies and investments described generically (no fact about a real organisation is made
up beyond the demo city's own invented transfer work). Everything goes through the services.
Idempotent: skipped when the districts already have liaison agreements."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from tmhub.accounts.selectors import users_with_role
from tmhub.core.choices import OrgKind
from tmhub.core.demo.base import demo_credit_code
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.districts import services
from tmhub.districts.choices import EventKind, LandingKind, ParticipantKind
from tmhub.districts.forms import contracts_in
from tmhub.districts.models import LiaisonAgreement
from tmhub.orgs.models import Organization

PARKS = {
    "110108": [("中关村软件园", "part_time"), ("中关村生命科学园", "full_time")],
    "110105": [("电子城科技园", "part_time")],
    "110114": [("未来科学城", "full_time")],
}
EVENTS = [
    # district, days from today, kind, title, English title, online
    ("110108", -60, EventKind.MATCHMAKING, "人工智能领域高校成果与企业需求对接会",
     "AI results and enterprise demands matchmaking", False),
    ("110108", -20, EventKind.ROADSHOW, "生物医药早期项目路演", "Early biomedicine roadshow", True),
    ("110108", 15, EventKind.TRAINING, "技术经理人实务培训：技术合同登记",
     "Practice training: registering technology contracts", False),
    ("110105", 25, EventKind.MATCHMAKING, "新一代信息技术成果对接会",
     "Next-generation IT matchmaking", False),
]


def seed(ctx) -> None:
    if LiaisonAgreement.objects.exists():
        return
    User = get_user_model()
    city = User.objects.get(username="municipal")
    officer = User.objects.filter(username="haidian_officer").first() or city
    districts = {d.code: d for d in District.objects.all()}
    today = timezone.localdate()
    haidian = districts["110108"]

    def actor_for(code):
        return officer if code == "110108" else city

    # Liaison agreements with institutions located in each district (shared data).
    for code in ("110108", "110105", "110114"):
        institutions = Organization.objects.filter(
            district=districts[code], kind__in=[OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE],
            is_active=True).order_by("name_pinyin")[:3 if code == "110108" else 1]
        for index, institution in enumerate(institutions):
            start = datetime.date(2023 + index % 2, 3, 1)
            agreement = services.create_agreement(
                actor=actor_for(code), district=districts[code], institution=institution,
                district_contact=f"{districts[code].name_zh}科委 成果转化科",
                institution_contact=f"{institution.name} 技术转移办公室",
                scope="成果信息定期推送、企业需求对接、转化专员派驻与联合活动",
                scope_en="Regular results updates, enterprise demand matching, commissioners "
                         "and joint events",
                starts_on=start, ends_on=datetime.date(start.year + 2, 2, 28))
            if agreement.ends_on < today:
                services.renew_agreement(agreement, actor=actor_for(code),
                                         ends_on=datetime.date(today.year + 2, 2, 28))
    # Commissioner posts: one filled, one vacancy with an application, per Haidian.
    managers = list(users_with_role(Role.MANAGER).exclude(username="manager").order_by("id")[:3])
    demo_manager = User.objects.filter(username="manager").first()
    posts = []
    for code, parks in PARKS.items():
        for park, basis in parks:
            post = services.create_post(
                actor=actor_for(code), district=districts[code], title="科技成果转化专员",
                title_en="Transfer commissioner", park=park, time_basis=basis,
                duties="对接园区企业技术需求，组织高校院所成果推介，跟踪项目落地。",
                applications_close_on=today + datetime.timedelta(days=30))
            posts.append(services.publish_vacancy(post, actor=actor_for(code)))
    for post, manager in zip(posts[1:], managers, strict=False):
        application = services.apply_for_post(post, actor=manager,
                                              statement="长期从事高校成果转化与企业对接工作。")
        services.appoint(application, actor=actor_for(post.district.code),
                         term_start=datetime.date(today.year, 1, 1),
                         term_end=datetime.date(today.year + 1, 12, 31))
    if demo_manager is not None:
        services.apply_for_post(posts[0], actor=demo_manager,
                                statement="熟悉人工智能领域成果，愿意每周两天驻园服务。")
    # Events: registrations before, attendance after.
    enterprise = User.objects.filter(username="enterprise").first()
    enterprise_org = Organization.objects.filter(name="北京智联感知科技有限公司").first()
    events = []
    for code, days, kind, title, title_en, online in EVENTS:
        day = today + datetime.timedelta(days=days)
        event = services.create_event(
            actor=city, district=districts[code], kind=kind, title=title, title_en=title_en,
            organiser=f"{districts[code].name_zh}科委", held_on=day, online=online,
            place="" if online else f"{districts[code].name_zh}科技成果转化服务中心",
            capacity=80)
        events.append(event)
        if day < today:  # registrations taken before the event: recorded as the city's seed
            continue
        if enterprise is not None and enterprise_org is not None:
            services.register_for_event(event, actor=enterprise,
                                        participant_kind=ParticipantKind.ENTERPRISE,
                                        organization=enterprise_org)
        if demo_manager is not None:
            services.register_for_event(event, actor=demo_manager,
                                        participant_kind=ParticipantKind.MANAGER)
    # Landings: contracts of the transfer demo whose transferee is in the district.
    for code in ("110108", "110105"):
        district = districts[code]
        for contract in contracts_in([district])[:3]:
            if not services.contract_in_district(contract, district):
                continue
            services.record_landing(
                actor=actor_for(code), district=district, kind=LandingKind.CONTRACT,
                title=contract.title, occurred_on=contract.signed_on, contract=contract,
                event=events[0] if code == "110108" and contract.signed_on >= events[0].held_on
                else None)
    name = "北京海创智元科技有限公司"
    services.record_landing(
        actor=officer, district=haidian, kind=LandingKind.COMPANY,
        title="高校人工智能成果作价入股设立企业", occurred_on=today - datetime.timedelta(days=40),
        company_name=name, credit_code=demo_credit_code(name, "91"),
        managers=[demo_manager] if demo_manager else [], event=events[0])
    # An investment: the network demo's latest approved financing round in Haidian (its
    # investor, amount and date are the round's), traced to the roadshow when it came after.
    from tmhub.districts.forms import financings_in

    round_ = financings_in([haidian], officer).first()
    if round_ is not None:
        services.record_landing(
            actor=officer, district=haidian, kind=LandingKind.INVESTMENT,
            title="转化项目获股权融资", occurred_on=round_.financed_on, financing=round_,
            event=events[1] if round_.financed_on >= events[1].held_on else None,
            managers=managers[:1])
    ctx.log("districts: liaison agreements, commissioner posts, events, landings")
