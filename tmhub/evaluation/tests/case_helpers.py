"""Records for the case-library tests, made through the services as people would: a project
of the test university walked to 落地 with a licence (paid in part), an approved reward split,
an approved financing round and two landings (a company founded, the investment)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tmhub.evaluation.case_choices import CaseStatus as C
from tmhub.evaluation.services import cases as services

# Amounts no other figure of the project shares, so a test can tell them apart.
FINANCING_FEN = 987_654_321
NARRATIVE = {
    "title_zh": "固态电解质专利许可：从实验室到产线",
    "background_zh": "测试大学的固态电解质成果长期停留在实验室阶段。",
    "actions_zh": "技术经理人梳理专利组合，引荐企业并主持许可谈判。",
    "lessons_zh": "尽早引入企业参与中试，可缩短谈判周期。",
}


def landed_project(personas):
    """The transfer chain's project (tmhub.transfer.tests.chain) moved on to 落地, with the
    network's financing round and the districts' landings recorded against it."""
    from tmhub.districts import services as districts
    from tmhub.districts.choices import LandingKind
    from tmhub.districts.tests.world import valid_credit_code
    from tmhub.network import financing
    from tmhub.network.choices import FinancingStatus
    from tmhub.transfer.choices import Stage
    from tmhub.transfer.tests.chain import make_chain, walk_to

    chain = make_chain(personas)
    project = walk_to(chain.project, Stage.LANDING, personas.manager)
    round_ = financing.record_financing(
        actor=personas.manager, project=project, kind="angel", instrument="equity",
        investor_name="天使投资人（个人）", amount_fen=FINANCING_FEN, equity_share=10,
        financed_on=timezone.localdate() - datetime.timedelta(days=10))
    financing.step(round_, FinancingStatus.APPROVED, actor=personas.institution_admin)
    officer = personas.district_officer
    districts.record_landing(
        actor=officer, district=personas.haidian, kind=LandingKind.COMPANY, project=project,
        title="固态电解质产业化公司成立", occurred_on=timezone.localdate(),
        company_name="北京固态测试科技有限公司", credit_code=valid_credit_code(),
        managers=[personas.manager])
    districts.record_landing(
        actor=officer, district=personas.haidian, kind=LandingKind.INVESTMENT, project=project,
        title="天使轮融资", financing=round_, managers=[personas.manager])
    project.refresh_from_db()
    return project


def draft(personas, project, *, actor=None, **values):
    return services.draft_case(actor=actor or personas.manager, project=project,
                               **{**NARRATIVE, **values})


def consent_all(personas, case, actor=None):
    from tmhub.evaluation.case_facts import consenting_parties
    from tmhub.orgs.models import Organization

    for party in consenting_parties(case.facts):
        if not case.consents.filter(party_id=party["organization"]).exists():
            services.record_consent(
                case, actor=actor or personas.institution_admin,
                party=Organization.objects.get(pk=party["organization"]),
                consented_by="周经理（总经理）", consented_on=timezone.localdate(),
                note="书面同意函已存档。")


def publish(personas, case):
    """Walk a draft to publication: submitted by its drafter, reviewed by the institution and
    the city, the parties' consent recorded."""
    case = services.step_case(case, C.SUBMITTED, actor=personas.manager)
    case = services.step_case(case, C.INSTITUTION_REVIEWED, actor=personas.institution_admin)
    case = services.step_case(case, C.CITY_REVIEWED, actor=personas.municipal_admin)
    consent_all(personas, case)
    return services.step_case(case, C.PUBLISHED, actor=personas.municipal_admin)
