"""Demo of the case library (issue 17 item 9): three published cases and one draft, drafted by
the lead managers of the demo's projects at 落地 and 交易, reviewed by their institution's
administrator and the city (the demo user `municipal`). The narrative only restates what the
records hold (the organisations are real, the demo's projects are not), and the consents are
marked as demo records."""

from __future__ import annotations

from django.utils import timezone

from tmhub.core.roles import Role
from tmhub.evaluation.case_choices import CaseStatus as C
from tmhub.evaluation.models import TransferCase

PUBLISHED, DRAFTS = 3, 1
DEMO_NOTE = "演示数据：示例同意记录，并非真实同意函。"


def _admin_of(institution_id, avoid):
    from tmhub.accounts.models import User

    return (User.objects.filter(memberships__role=Role.INSTITUTION_ADMIN,
                                memberships__is_active=True,
                                memberships__organization_id=institution_id)
            .exclude(pk=avoid.pk).order_by("pk").first())


def _candidates():
    """(project, lead manager, institution administrator or None) of the demo's concluded
    projects, landed first."""
    from tmhub.transfer.choices import ManagerRole, Stage
    from tmhub.transfer.models import Project

    for stage in (Stage.LANDING, Stage.TRANSACTION):
        for project in Project.objects.filter(stage=stage).order_by("pk"):
            lead = project.assignments.filter(role=ManagerRole.LEAD,
                                              released_on__isnull=True).first()
            if lead is None:
                continue
            yield project, lead.user, _admin_of(project.institution_id, lead.user)


def _narrative(project) -> dict:
    institution = project.institution.name
    return {
        "title_zh": f"{project.title}（演示案例）",
        "title_en": f"{project.title} (demo case)",
        "background_zh": f"本案例为演示数据，依据平台记录整理：{institution}的转化项目"
                         f"“{project.title}”已进入{project.get_stage_display()}阶段。",
        "actions_zh": "项目负责人及协办技术经理人按平台记录完成成果评价、推广对接、合同谈判与签订，"
                      "各阶段时间见下方记录。",
        "lessons_zh": "演示数据：此处由项目团队填写经验与启示。",
    }


def seed_cases(ctx) -> None:
    from tmhub.accounts.models import User
    from tmhub.evaluation.case_facts import consenting_parties
    from tmhub.evaluation.services import cases as services
    from tmhub.orgs.models import Organization

    if TransferCase.objects.exists():
        return
    city = User.objects.filter(username="municipal").first()
    if city is None:
        return
    published = drafts = 0
    for project, lead, admin in _candidates():
        if published == PUBLISHED and drafts == DRAFTS:
            break
        # a case is published where the institution has an administrator to review it
        publishing = admin is not None and published < PUBLISHED
        if not publishing and drafts == DRAFTS:
            continue
        case = services.draft_case(actor=lead, project=project, **_narrative(project),
                                   withhold_income=published % 2 == 0, withhold_rewards=True,
                                   withhold_contract_value=published == 1,
                                   withhold_financing=published != 2)
        if not publishing:
            drafts += 1
            continue  # the draft stays with its drafter
        published += 1
        case = services.step_case(case, C.SUBMITTED, actor=lead)
        case = services.step_case(case, C.INSTITUTION_REVIEWED, actor=admin)
        case = services.step_case(case, C.CITY_REVIEWED, actor=city)
        for party in consenting_parties(case.facts):
            services.record_consent(
                case, actor=admin, party=Organization.objects.get(pk=party["organization"]),
                consented_by="示例联系人（演示）", consented_on=timezone.localdate(),
                note=DEMO_NOTE)
        if not case.consents.exists():
            continue  # a case with no other party stays under review in the demo
        services.step_case(case, C.PUBLISHED, actor=city)
    ctx.log(f"cases: {TransferCase.objects.filter(status=C.PUBLISHED).count()} published, "
            f"{TransferCase.objects.exclude(status=C.PUBLISHED).count()} other")
