"""Pilots made through the services, for the tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tmhub.pilots import services
from tmhub.pilots.choices import AssignmentMode, ProgrammeKind
from tmhub.pilots.models import KpiType, Programme


def science_officer(personas=None, username="p_science"):
    """A department officer of the Science and Technology Commission (the programmes'
    funding department): the programme officer of the tests' programme."""
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.choices import Department
    from tmhub.core.roles import Role

    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_user(actor=SYSTEM, username=username, password="Persona-pass-2025",
                           email=f"{username}@example.cn", display_name=username)
        grant_membership(actor=SYSTEM, user=user, role=Role.DEPARTMENT_OFFICER,
                         department=Department.SCIENCE)
    return user


def programme(personas, code="KJ-YY-2024", officers=None) -> Programme:
    existing = Programme.objects.filter(code=code).first()
    if existing:
        return existing
    return services.create_programme(
        actor=personas.municipal_admin, code=code, name_zh="应用研究类科技项目",
        name_en="Applied research projects", kind=ProgrammeKind.APPLIED_RESEARCH,
        officers=[science_officer()] if officers is None else officers)


def make_pilot(personas, code="Z241100001", institution=None, **values):
    data = dict(
        programme=programme(personas), code=code, title="固态电池电解质应用研究",
        institution=institution or personas.university, principal_investigator="王教授",
        budget_fen=300_000_000, starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        selection_reason="成果已有中试基础，企业需求明确",
    )
    data.update(values)
    return services.select_pilot(actor=personas.municipal_admin, **data)


def kpi_type(code) -> KpiType:
    return KpiType.objects.get(code=code)


def add_kpi(personas, pilot, code, target, weight=1, due=datetime.date(2027, 6, 30)):
    return services.add_kpi(pilot, actor=personas.municipal_admin, kpi_type=kpi_type(code),
                            target=Decimal(target), due_on=due, weight=weight)


def assign(personas, pilot, manager=None, mode=AssignmentMode.ONE_TO_MANY):
    return services.assign_manager(pilot, actor=personas.municipal_admin,
                                   manager=manager or personas.manager, mode=mode)


def contract(personas, number_title="电解质专利许可合同", amount_fen=50_000_000,
             signed_on=datetime.date(2025, 3, 1), institution=None):
    from tmhub.transfer import services as transfer
    from tmhub.transfer.choices import ContractKind, PartyRole

    institution = institution or personas.university
    return transfer.create_contract(
        actor=personas.municipal_admin, institution=institution, title=number_title,
        kind=ContractKind.LICENCE, amount_fen=amount_fen, signed_on=signed_on,
        parties=[(institution, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])


def walk_report(personas, pilot, manager=None):
    """The manager files the report on the pilot's stage; the institution and the programme
    officer approve it."""
    from tmhub.pilots.choices import ReportStatus

    manager = manager or personas.manager
    report = services.create_report(pilot, actor=manager, done="完成可行性研究报告",
                                    risks="市场不确定", next_steps="对接企业")
    report = services.step_report(report, ReportStatus.SUBMITTED, actor=manager)
    report = services.step_report(report, ReportStatus.INSTITUTION_REVIEWED,
                                  actor=personas.institution_admin)
    return services.step_report(report, ReportStatus.APPROVED, actor=science_officer())
