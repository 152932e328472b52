"""Demo pilots (run by `manage.py seed_demo` after transfer): a few of the demo city's own
transfer projects, treated as funded projects the city selected as pilots, so every figure on
the pilot pages comes from records already in the demo (their contracts count toward the KPIs,
their lead managers are assigned). Programme names and project codes are marked as demo data:
no real funding decision is implied. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tmhub.core.choices import Department
from tmhub.core.demo import clock
from tmhub.pilots import services
from tmhub.pilots.choices import AssignmentMode, ProgrammeKind, ReportStatus
from tmhub.pilots.models import KpiType, Pilot, Programme

PROGRAMMES = [
    ("DEMO-YY", "市级应用研究类科技项目（演示）", "Municipal applied-research projects (demo)",
     ProgrammeKind.APPLIED_RESEARCH),
    ("DEMO-CX", "市级技术创新类科技项目（演示）", "Municipal technology-innovation projects (demo)",
     ProgrammeKind.TECH_INNOVATION),
]
PILOTS = 4


PROGRAMME_OFFICER = ("science_officer", "郑晓峰")  # a demo person, not a real official


def _programme_officer(ctx):
    """The demo's programme officer: a department officer of the Science and Technology
    Commission (the demo users of core have none yet)."""
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role

    username, display = PROGRAMME_OFFICER
    user = User.objects.filter(username=username).first()
    if user is None:
        password = getattr(ctx, "password", None)
        if not password:
            return None
        user = create_user(actor=SYSTEM, username=username, password=password,
                           email=f"{username}@tmhub.local", display_name=display)
    if not user.memberships.filter(role=Role.DEPARTMENT_OFFICER,
                                   department=Department.SCIENCE, is_active=True).exists():
        grant_membership(actor=SYSTEM, user=user, role=Role.DEPARTMENT_OFFICER,
                         department=Department.SCIENCE)
    getattr(ctx, "users", {})[username] = user
    return user


def seed(ctx) -> None:
    from tmhub.transfer.models import Project

    city = get_user_model().objects.filter(username="municipal").first()
    if city is None or Pilot.objects.exists():
        return
    officer = _programme_officer(ctx)
    programmes = [
        Programme.objects.filter(code=code).first() or services.create_programme(
            actor=city, code=code, name_zh=zh, name_en=en, kind=kind,
            department=Department.SCIENCE, officers=[officer] if officer else [])
        for code, zh, en, kind in PROGRAMMES
    ]
    projects = list(Project.objects.filter(contracts__isnull=False, assignments__isnull=False)
                    .select_related("institution").distinct().order_by("pk")[:PILOTS])
    kinds = {k.code: k for k in KpiType.objects.all()}
    today = timezone.localdate()
    for n, project in enumerate(projects):
        starts = project.started_on
        # Each step on the day it happened: selected a month into the project (never after
        # today), KPIs set that day, the manager assigned a week later, the report filed and
        # submitted a month after that (steps that would fall in the future happen today).
        selected = max(min(starts + datetime.timedelta(days=30),
                           today - datetime.timedelta(days=21)), min(starts, today))
        assigned = min(selected + datetime.timedelta(days=7), today)
        reported = min(assigned + datetime.timedelta(days=30), today)
        ends = max(starts + datetime.timedelta(days=3 * 365),
                   today + datetime.timedelta(days=365))
        with clock.happened(selected):
            pilot = services.select_pilot(
                actor=city, programme=programmes[n % 2], code=f"DEMO-{starts.year}-{n + 1:03d}",
                title=project.title, institution=project.institution,
                principal_investigator="（演示数据）", budget_fen=(n + 2) * 1_000_000_00,
                starts_on=starts, ends_on=ends, field=project.field,
                selection_reason="成果已进入转化流程，承担单位明确转化任务（演示数据）")
            services.link_project(pilot, actor=city, project=project)
            contracts = list(project.contracts.all())
            services.add_kpi(pilot, actor=city, kpi_type=kinds["contracts_signed"],
                             target=Decimal(max(2, len(contracts) + 1)),
                             due_on=today + datetime.timedelta(days=20 + 90 * n), weight=2)
            services.add_kpi(pilot, actor=city, kpi_type=kinds["contract_value"],
                             target=Decimal(100 * (n + 1)), due_on=ends, weight=3)
            services.add_kpi(pilot, actor=city, kpi_type=kinds["companies_founded"],
                             target=Decimal(1), due_on=ends, weight=1)
            for contract in contracts:
                services.link_contract(pilot, actor=city, contract=contract)
        clock.backdate(pilot, selected)
        # The feasibility report is due in the weeks to come (reminders and My work show it).
        services.set_stage_due(pilot, actor=city,
                               due_on=today + datetime.timedelta(days=14 + 10 * n))
        lead = project.assignments.filter(released_on__isnull=True).select_related("user").first()
        if lead is None or not (lead.user.is_active and lead.user.memberships.filter(
                role="manager", is_active=True).exists()):
            continue
        with clock.happened(assigned):
            assignment = services.assign_manager(pilot, actor=city, manager=lead.user,
                                                 mode=AssignmentMode.ONE_TO_MANY)
        clock.backdate(assignment, assigned)
        if n % 2 == 0:
            with clock.happened(reported):
                report = services.create_report(
                    pilot, actor=lead.user,
                    done="完成技术成熟度与市场需求调研，形成可行性研究报告（演示数据）",
                    risks="中试放大成本存在不确定性", next_steps="与意向企业开展许可谈判",
                    kpi_progress="已签订技术合同见关联合同")
                report = services.step_report(report, ReportStatus.SUBMITTED, actor=lead.user)
            clock.backdate(report, reported)
    if ctx.stdout is not None:
        ctx.stdout.write(f"  pilots: {Pilot.objects.count()}")
