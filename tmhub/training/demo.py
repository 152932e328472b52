# ruff: noqa: E501  (demo data tables)
"""Demo training system: providers, the syllabus programmes, instructors, and cohorts from
2022 to today run through the services, so the dashboard shows the plan's real shape.

Timestamps of historical steps (requests, completions, certificates) are moved back to the
dates the cohorts ran: the services stamp "now", and a demo of a four-year plan needs history.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tmhub.core.demo import clock
from tmhub.core.models import IndustryField, Notification, ObjectChange
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.orgs.models import Organization
from tmhub.training import services
from tmhub.training.choices import CertificateStatus, Level, Module, ProgrammeKind, ProviderKind
from tmhub.training.dashboard.figures import tracking
from tmhub.training.models import Certificate, Cohort, Enrolment, Programme, TrainingProvider
from tmhub.training.services.certificates import make_number, refresh_trained_manager

G, P, R, A = Module.GENERAL, Module.POLICY, Module.PRACTICE, Module.ADVANCED
SYLLABI = {
    "TH-JUNIOR": (Level.JUNIOR, "初级技术经纪人培训", "Junior Technology Broker Training", [
        ("J01", "技术转移概论", "Introduction to Technology Transfer", G, 8),
        ("J02", "知识产权基础", "Intellectual Property Basics", G, 4),
        ("J03", "科技成果转化政策法规", "Laws and Policies on Commercialisation", P, 8),
        ("J04", "技术合同与技术交易实务", "Technology Contracts and Transactions", R, 12),
        ("J05", "技术评估与定价", "Technology Valuation and Pricing", R, 8),
        ("J06", "商务谈判技巧", "Business Negotiation", A, 8)]),
    "TH-INTER": (Level.INTERMEDIATE, "中级技术经纪人培训", "Intermediate Technology Broker Training", [
        ("M01", "产业技术前沿", "Frontiers of Industrial Technology", G, 4),
        ("M02", "政策解读与合规", "Policy Interpretation and Compliance", P, 6),
        ("M03", "专利分析与布局", "Patent Analytics and Portfolio Strategy", R, 8),
        ("M04", "成果转化项目管理", "Managing Commercialisation Projects", R, 8),
        ("M05", "投融资与作价入股", "Financing and Equity Investment", A, 6),
        ("M06", "谈判实战工作坊", "Negotiation Workshop", A, 4)]),
    "ZGC-SENIOR": (Level.SENIOR, "高级技术经理人研修班", "Senior Technology Manager Programme", [
        ("S01", "法律风险与合规", "Legal Risk and Compliance", P, 6),
        ("S02", "科技金融", "Technology Finance", R, 8),
        ("S03", "企业孵化与创业", "Incubation and Start-ups", R, 4),
        ("S04", "典型案例研讨", "Case Studies", R, 6),
        ("S05", "技术转移战略", "Technology Transfer Strategy", A, 8),
        ("S06", "国际技术转移", "International Technology Transfer", A, 4)]),
}
OTHER_PROGRAMMES = [
    ("ZGC-CE", "zgc", ProgrammeKind.CONTINUING, "技术经理人继续教育", "Continuing Education for Technology Managers",
     [("C01", "年度政策更新", "Annual Policy Update", P, 4), ("C02", "概念验证实务", "Proof of Concept in Practice", R, 4)]),
    ("TH-MASTER", "th", ProgrammeKind.POSTGRADUATE, "技术转移方向专业硕士", "Professional Master in Technology Transfer",
     [("T01", "创新管理", "Innovation Management", G, 32), ("T02", "技术转移法律实务", "Technology Transfer Law", P, 32)]),
    ("TH-ELECTIVE", "th", ProgrammeKind.ELECTIVE, "科技成果转化概论（选修课）", "Elective: Commercialising Research",
     [("E01", "科技成果转化概论", "Commercialising Research Results", G, 32)]),
    ("INTL-AUTM", "intl", ProgrammeKind.INTERNATIONAL, "国际技术转移实务（中英双语）", "International Technology Transfer Practice (bilingual)",
     [("I01", "全球技术许可实务", "Global Licensing Practice", R, 8), ("I02", "跨境技术交易", "Cross-border Technology Deals", A, 8)]),
]
INSTRUCTORS = [
    ("th", "王建国", "Wang Jianguo", "full_time", "清华大学", "教授", ["AI"]),
    ("th", "李敏", "Li Min", "full_time", "清华大学", "副研究员", ["MED"]),
    ("th", "陈晓东", "Chen Xiaodong", "industry_mentor", "北京智联感知科技有限公司", "技术总监", ["AI", "NGIT"]),
    ("th", "赵蕾", "Zhao Lei", "industry_mentor", "中关村天使投资联盟", "合伙人", ["MED"]),
    ("zgc", "刘振华", "Liu Zhenhua", "full_time", "北京中关村技术转移服务中心", "高级技术经理人", ["EQUIP"]),
    ("zgc", "孙悦", "Sun Yue", "industry_mentor", "北京慧知知识产权代理有限公司", "专利代理师", ["IC"]),
    ("intl", "Sarah Miller", "Sarah Miller", "full_time", "AUTM", "Licensing Director", ["MED"]),
]
# (programme, code, start, capacity): history from the plan's start to an open cohort now.
COHORTS = [
    ("TH-JUNIOR", "2022-1", datetime.date(2022, 5, 9)), ("TH-JUNIOR", "2022-2", datetime.date(2022, 10, 10)),
    ("TH-JUNIOR", "2023-1", datetime.date(2023, 4, 10)), ("TH-JUNIOR", "2023-2", datetime.date(2023, 9, 11)),
    ("TH-JUNIOR", "2024-1", datetime.date(2024, 4, 8)), ("TH-JUNIOR", "2024-2", datetime.date(2024, 10, 14)),
    ("TH-JUNIOR", "2025-1", datetime.date(2025, 4, 7)), ("TH-JUNIOR", "2025-2", datetime.date(2025, 9, 8)),
    ("TH-JUNIOR", "2026-1", datetime.date(2026, 4, 13)),
    ("TH-INTER", "2023-1", datetime.date(2023, 6, 5)), ("TH-INTER", "2024-1", datetime.date(2024, 6, 3)),
    ("TH-INTER", "2025-1", datetime.date(2025, 6, 2)), ("TH-INTER", "2026-1", datetime.date(2026, 6, 1)),
    ("ZGC-SENIOR", "2024-1", datetime.date(2024, 11, 4)), ("ZGC-SENIOR", "2025-1", datetime.date(2025, 11, 3)),
    ("ZGC-CE", "2026-1", datetime.date(2026, 3, 2)),
]


def _provider(admin, key):
    orgs = {"th": "清华大学", "zgc": "北京中关村技术转移服务中心"}
    names = {
        "th": ("清华大学技术转移研究院", "Tsinghua University Institute for Technology Transfer",
               ProviderKind.UNIVERSITY),
        "zgc": ("北京中关村技术转移服务中心", "Zhongguancun Technology Transfer Service Center",
                ProviderKind.TRANSFER_INSTITUTION),
        "intl": ("国际大学技术经理人协会（AUTM）", "Association of University Technology Managers (AUTM)",
                 ProviderKind.INTERNATIONAL),
    }
    name_zh, name_en, kind = names[key]
    existing = TrainingProvider.objects.filter(name_zh=name_zh).first()
    if existing:
        return existing
    organization = Organization.objects.filter(name=orgs.get(key, "")).first()
    return services.create_provider(
        actor=admin, kind=kind, organization=organization, name_zh=name_zh, name_en=name_en,
        country="美国" if key == "intl" else "中国",
        description_zh="面向技术经理人的系统化培训。", description_en="Structured training for technology managers.")


def _programme(admin, provider, code, kind, level, name_zh, name_en, courses):
    programme = Programme.objects.filter(code=code).first()
    if programme:
        return programme
    programme = services.create_programme(
        actor=admin, provider=provider, code=code, kind=kind, level=level, name_zh=name_zh,
        name_en=name_en, is_published=True,
        description_zh=f"{name_zh}，课程设置依据国家技术转移专业人员能力等级培训大纲。",
        description_en=f"{name_en}, following the national syllabus for technology transfer professionals.")
    instructors = list(provider.instructors.all())
    for index, (ccode, zh, en, module, hours) in enumerate(courses):
        services.create_course(actor=admin, programme=programme, code=ccode, name_zh=zh, name_en=en,
                               module=module, hours=Decimal(hours), sort_order=index,
                               instructors=instructors[index % len(instructors):][:1] if instructors else [])
    return programme


def _backdate(enrolments, day):
    with transaction.atomic(), tracking({e.trainee_id for e in enrolments}):
        _backdate_rows(enrolments, day)


def _backdate_rows(enrolments, day):
    when = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)
    ids = [e.pk for e in enrolments]
    Enrolment.objects.filter(pk__in=ids).update(created_at=when - datetime.timedelta(days=20),
                                                decided_at=when - datetime.timedelta(days=10))
    Enrolment.objects.filter(pk__in=ids, completed_at__isnull=False).update(completed_at=when)
    Certificate.objects.filter(enrolment__in=ids).update(issued_at=when)
    for certificate in Certificate.objects.filter(enrolment__in=ids).order_by("pk"):
        _number_in_issue_year(certificate, when.year)
    for trainee_id in {e.trainee_id for e in enrolments}:
        refresh_trained_manager(trainee_id)


def _number_in_issue_year(certificate, year) -> None:
    """A certificate moved back to the year its cohort ended carries that year's number
    (BJTM-2024-…, not the seeding year's), everywhere the number was written."""
    old = certificate.number
    if old.split("-")[1] == str(year):
        return
    new = make_number(year, certificate.level, next_value(f"training-certificate-{year}"),
                      suffix=old.rsplit("-", 1)[1])
    Certificate.objects.filter(pk=certificate.pk).update(number=new)
    content_type = ContentType.objects.get_for_model(Certificate)
    written = [*ObjectChange.objects.filter(content_type=content_type,
                                            object_id=str(certificate.pk)),
               *Notification.objects.filter(recipient_id=certificate.trainee_id,
                                            subject__contains=old)]
    for row in written:
        for name in ("before", "after", "subject", "body", "texts"):
            value = getattr(row, name, None)
            if value:
                text = json.dumps(value, ensure_ascii=False).replace(old, new)
                setattr(row, name, json.loads(text))
        type(row).objects.filter(pk=row.pk).update(
            **{n: getattr(row, n) for n in ("before", "after", "subject", "body", "texts")
               if hasattr(row, n)})


def _run(ctx, admin, programme, code, start, trainees):
    cohort_code = f"{programme.code}-{code}".lower()
    if Cohort.objects.filter(code=cohort_code).exists():
        return
    end = start + datetime.timedelta(days=25)
    # Each phase on its day: announced six weeks ahead, enrolled the fortnight before, run
    # from the start, finished (and certified) on the last day.
    with clock.happened(start - datetime.timedelta(days=42)):
        cohort = services.create_cohort(
            actor=admin, programme=programme, code=cohort_code,
            title=f"{programme.name_zh}（{code}期）", start_date=start, end_date=end,
            capacity=max(len(trainees), 30), location="北京市海淀区",
            mode=ctx.rng.choice(["in_person", "blended"]))
        cohort = services.transition_cohort(cohort, "open", actor=admin)
    clock.backdate(cohort, start - datetime.timedelta(days=42))
    if start > timezone.localdate():
        return cohort
    enrolments = []
    with clock.happened(start - datetime.timedelta(days=14)):
        for trainee in trainees:
            enrolment = services.request_enrolment(cohort, actor=trainee)
            enrolments.append(services.approve_enrolment(enrolment, actor=admin))
    courses = list(programme.courses.all())
    with clock.happened(start):
        sessions = [services.add_session(cohort, actor=admin, course=course,
                                         date=start + datetime.timedelta(days=3 * i))
                    for i, course in enumerate(courses)]
        exam = services.add_assessment(cohort, actor=admin, title="结业考核", date=end,
                                       max_score=Decimal(100), pass_score=Decimal(60))
        services.transition_cohort(cohort, "running", actor=admin)
    rng = ctx.rng
    with clock.happened(end, minute=-60):
        for session in sessions:
            services.record_attendance(session, {
                e.pk: rng.choices(["present", "late", "absent", "excused"], [90, 5, 3, 2])[0]
                for e in enrolments}, actor=admin)
        services.record_scores(exam, {e.pk: Decimal(rng.randint(52, 98)) for e in enrolments},
                               actor=admin)
    with clock.happened(end):
        services.transition_cohort(cohort, "finished", actor=admin)
    clock.backdate(cohort, end)
    _backdate(enrolments, end)
    return cohort


def seed(ctx) -> None:
    User = get_user_model()
    admin = User.objects.get(username="admin")
    providers = {key: _provider(admin, key) for key in ("th", "zgc", "intl")}
    fields = {f.code: f for f in IndustryField.objects.all()}
    for key, name, name_en, kind, org_name, title, codes in INSTRUCTORS:
        if not providers[key].instructors.filter(name=name).exists():
            services.create_instructor(
                actor=admin, provider=providers[key], name=name, name_en=name_en, kind=kind,
                organization=Organization.objects.filter(name=org_name).first(),
                organization_name=org_name, title=title,
                fields=[fields[c] for c in codes if c in fields])
    programmes = {}
    for code, (level, zh, en, courses) in SYLLABI.items():
        provider = providers["zgc" if code.startswith("ZGC") else "th"]
        programmes[code] = _programme(admin, provider, code, ProgrammeKind.CERTIFICATION, level,
                                      zh, en, courses)
    for code, key, kind, zh, en, courses in OTHER_PROGRAMMES:
        programmes[code] = _programme(admin, providers[key], code, kind, "", zh, en, courses)
    # Trainees: the talent pool's managers, except the demo manager who enrols by hand.
    pool = list(User.objects.filter(memberships__role=Role.MANAGER, memberships__is_active=True)
                .exclude(username="manager").distinct().order_by("id"))
    rng = ctx.rng
    rng.shuffle(pool)
    juniors = [c for c in COHORTS if c[0] == "TH-JUNIOR"]
    per_cohort = max(len(pool) // len(juniors), 1) if pool else 0
    for index, (programme_code, code, start) in enumerate(juniors):
        _run(ctx, admin, programmes[programme_code], code, start,
             pool[index * per_cohort:(index + 1) * per_cohort])
    for programme_code, code, start in COHORTS:
        if programme_code == "TH-JUNIOR":
            continue
        level = programmes[programme_code].level
        previous = {"intermediate": "junior", "senior": "intermediate"}.get(level)
        if previous:
            eligible = list(User.objects.filter(
                Q(training_certificates__level=previous,
                  training_certificates__status=CertificateStatus.VALID),
                Q(training_certificates__issued_at__date__lt=start)).distinct())
            eligible = [u for u in eligible if not u.training_certificates.filter(level=level).exists()]
            chosen = rng.sample(eligible, min(len(eligible), 12))
        else:
            chosen = rng.sample(pool, min(len(pool), 20))
        _run(ctx, admin, programmes[programme_code], code, start, chosen)
    # One cohort open now, for the demo manager to enrol in.
    today = timezone.localdate()
    _run(ctx, admin, programmes["TH-JUNIOR"], f"{today.year}-open",
         today + datetime.timedelta(days=30), [])
