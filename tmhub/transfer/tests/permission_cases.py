"""Permission cases of every transfer page and endpoint, every method it accepts, every persona.

Steps posted here are chosen so they are refused or idempotent (an illegal target, a frozen
split, an empty form): the matrix checks who reaches the step, not the step's effect.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.transfer import services
from tmhub.transfer.models import (
    Achievement,
    Activity,
    Contract,
    Demand,
    Project,
    ProjectEvidence,
    RewardSplit,
)
from tmhub.transfer.tests.chain import make_chain, make_team


def cases(personas):
    chain = make_chain(personas)
    insiders = {"municipal_admin", "institution_admin", "manager"}
    record = services.add_ip_record(
        chain.draft, actor=personas.manager, ip_type="invention", number="202310123456.6"
    )
    attachment = services.add_attachment(
        chain.draft,
        actor=personas.manager,
        upload=SimpleUploadedFile("披露书.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    evidence = services.record_evidence(
        chain.project,
        actor=personas.manager,
        kind="valuation_report",
        occurred_on=datetime.date(2025, 2, 1),
        title="资产评估报告",
        party="测试资产评估有限公司",
        upload=SimpleUploadedFile("评估报告.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    helper = create_user(actor=SYSTEM, username="p_helper", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=helper, role=Role.MANAGER, organization=personas.university)
    extra = services.assign_manager(chain.project, actor=personas.institution_admin, user=helper)
    closed = services.create_demand(
        actor=personas.enterprise, organization=personas.company, title="已关闭需求", problem="问题"
    )
    closed = services.close_demand(closed, actor=personas.enterprise, reason="已解决")
    demand_owner = {"municipal_admin", "enterprise"}
    demand_recorders = {"municipal_admin", "enterprise", "manager", "institution_admin"}
    # The district officer of the institution's district (海淀区) reads its projects and
    # contracts (SPEC §1: records located in the district) and changes nothing.
    project_viewers = insiders | {"district_officer"}
    contract_viewers = insiders | {"enterprise", "district_officer"}
    draft, published, project = chain.draft, chain.published, chain.project
    contract, approved = chain.contract, chain.split_approved
    receipt, cost = contract.receipts.get(), contract.costs.get()
    team = make_team(personas)
    institution = {"municipal_admin", "institution_admin"}
    new_contract = {
        "title": "接口登记的合同",
        "kind": "licence",
        "institution": personas.university.pk,
        "amount_fen": 100_000,
        "signed_on": "2025-06-01",
    }
    new_split = {
        "contract": contract.pk,
        "income_date": "2025-04-01",
        "amount_fen": 10_000,
        "allocations": [{"name": "王教授", "contribution": "100"}],
    }

    def empty_form(url_name, args=(), ok=insiders, target=None, ok_status=200):
        """A form posted empty: those who may use it are told what is missing."""
        return login_required_page(
            url_name, args, ok=ok, method="post", changes=False, target=target, ok_status=ok_status
        )

    return [
        Case("transfer:home", ok=EVERYONE),
        # achievements
        Case("transfer:achievement-list", ok=EVERYONE),
        Case("transfer:achievement-list", ok=EVERYONE, query="export=csv&q=机密"),
        Case("transfer:achievement-detail", (draft,), ok=insiders),
        Case("transfer:achievement-detail", (published,), ok=EVERYONE),
        login_required_page("transfer:achievement-create", ok=insiders),
        empty_form("transfer:achievement-create", target=Achievement),
        login_required_page("transfer:achievement-edit", (draft,), ok=insiders),
        empty_form("transfer:achievement-edit", (draft,)),
        # Withdrawing needs a reason: refused, the page says why.
        login_required_page(
            "transfer:achievement-transition",
            (draft, "withdrawn"),
            ok=insiders,
            ok_status=302,
            method="post",
            changes=False,
        ),
        empty_form("transfer:achievement-ip-add", (draft,), ok_status=302),
        # The first insider (the city) removes the record; then it is gone for everyone.
        login_required_page(
            "transfer:achievement-ip-remove",
            (record,),
            ok={"municipal_admin"},
            ok_status=302,
            method="post",
            special={"institution_admin": 404, "manager": 404},
        ),
        empty_form("transfer:achievement-attachment-add", (draft,), ok_status=302),
        login_required_page("transfer:attachment-download", (attachment,), ok=insiders),
        # demands
        Case("transfer:demand-list", ok=EVERYONE),
        Case("transfer:demand-detail", (chain.demand_draft,), ok=demand_owner),
        Case("transfer:demand-detail", (chain.demand_published,), ok=EVERYONE),
        login_required_page("transfer:demand-create", ok=demand_recorders),
        empty_form("transfer:demand-create", ok=demand_recorders, target=Demand),
        login_required_page("transfer:demand-edit", (chain.demand_draft,), ok=demand_owner),
        empty_form("transfer:demand-edit", (chain.demand_draft,), ok=demand_owner),
        login_required_page(
            "transfer:demand-transition",
            (chain.demand_draft, "draft"),
            ok=demand_owner,
            ok_status=302,
            method="post",
            changes=False,
        ),
        # projects
        Case("transfer:project-list", ok=EVERYONE),
        login_required_page("transfer:project-board", ok=SIGNED_IN),
        login_required_page("transfer:project-create", ok=insiders),
        empty_form("transfer:project-create", target=Project),
        login_required_page("transfer:project-detail", (project,), ok=project_viewers),
        login_required_page("transfer:project-edit", (project,), ok=insiders),
        empty_form("transfer:project-edit", (project,)),
        # The project is at TRANSACTION: moving back to MINING is not a step of the map.
        login_required_page(
            "transfer:project-move",
            (project,),
            ok=insiders,
            ok_status=302,
            method="post",
            data={"target": "mining"},
            changes=False,
            special={"district_officer": 302},  # sees the project: told the step is refused
        ),
        # Stage gates: the override past a gate is the city's, and only where evidence is
        # missing (chain.project has its receipt, so 落地 is open: refused for everyone).
        login_required_page(
            "transfer:project-move",
            (project,),
            ok=insiders,
            ok_status=302,
            method="post",
            data={"target": "landing", "override": "1", "reason": "越过阶段门"},
            changes=False,
            special={"district_officer": 302},
        ),
        empty_form("transfer:project-evidence", (project,), ok_status=302, target=ProjectEvidence),
        login_required_page("transfer:evidence-download", (evidence,), ok=project_viewers),
        empty_form("transfer:project-assign", (project,), ok_status=302),
        login_required_page(
            "transfer:project-release", (extra,), ok=insiders, ok_status=302, method="post"
        ),
        empty_form("transfer:project-activity", (project,), ok_status=302, target=Activity),
        # A supporting manager (personas.manager here) cannot release the lead manager.
        login_required_page(
            "transfer:project-release",
            (team.lead_assignment,),
            ok=institution,
            ok_status=302,
            method="post",
        ),
        # contracts
        Case("transfer:contract-list", ok=EVERYONE),
        login_required_page("transfer:contract-detail", (contract,), ok=contract_viewers),
        login_required_page("transfer:contract-create", ok=insiders),
        empty_form("transfer:contract-create", target=Contract),
        login_required_page("transfer:contract-edit", (contract,), ok=insiders),
        empty_form("transfer:contract-edit", (contract,)),
        # Money forms answer the page again with the field errors (nothing recorded).
        empty_form("transfer:contract-receipt", (contract,)),
        empty_form("transfer:contract-cost", (contract,)),
        # Reversing needs a reason: refused unchanged for everyone who sees the contract.
        login_required_page("transfer:receipt-reverse", (receipt,), ok=contract_viewers,
                            ok_status=302, method="post", changes=False),
        login_required_page("transfer:cost-reverse", (cost,), ok=contract_viewers,
                            ok_status=302, method="post", changes=False),
        empty_form("transfer:contract-installment", (contract,), ok_status=302),
        # reward splits and rules
        Case("transfer:split-list", ok=EVERYONE),
        login_required_page("transfer:split-create", ok=insiders),
        empty_form("transfer:split-create", target=RewardSplit),
        login_required_page("transfer:split-detail", (approved,), ok=insiders),
        login_required_page("transfer:split-detail", (chain.split_draft,), ok=insiders),
        # Approved already (frozen): approving or cancelling again is refused. Only those who
        # may approve reach the approval (its confirmation page: what will be frozen).
        login_required_page(
            "transfer:split-approve",
            (approved,),
            ok=institution,
            ok_status=302,
            method="post",
            changes=False,
        ),
        login_required_page("transfer:split-approve", (approved,), ok=institution, ok_status=302),
        login_required_page("transfer:split-approve", (chain.split_draft,), ok=institution),
        # Posted without the confirmation: sent back to the confirmation page, nothing frozen.
        login_required_page(
            "transfer:split-approve",
            (chain.split_draft,),
            ok=institution,
            ok_status=302,
            method="post",
            changes=False,
        ),
        login_required_page(
            "transfer:split-cancel",
            (approved,),
            ok=insiders,
            ok_status=302,
            method="post",
            changes=False,
        ),
        # Released from the project, the manager still sees its draft split but cannot cancel
        # it (posted without a reason, so the institution's own attempt is refused, unchanged).
        login_required_page("transfer:split-detail", (team.left_split,), ok=insiders),
        login_required_page(
            "transfer:split-cancel",
            (team.left_split,),
            ok=institution,
            ok_status=302,
            method="post",
            changes=False,
        ),
        login_required_page("transfer:split-pdf", (approved,), ok=insiders),
        login_required_page("transfer:split-xlsx", (approved,), ok=insiders),
        Case("transfer:rule-list", ok=EVERYONE),
        Case("transfer:rule-detail", (approved.rule,), ok=EVERYONE),
        # API
        api("achievement-list"),
        api("achievement-list", query="search=机密"),
        api(
            "achievement-list",
            method="post",
            ok=insiders,
            ok_status=201,
            denied_status=400,
            data={
                "title": "接口登记的成果",
                "owner": personas.university.pk,
                "abstract": "一种新材料。",
            },
            target=Achievement,
        ),
        api("achievement-detail", (draft,), ok=insiders),
        api("achievement-detail", (published,)),
        api(
            "achievement-detail",
            (draft,),
            method="patch",
            data={"keywords": "固态电池"},
            ok=insiders,
        ),
        api("achievement-publish", (published,), method="post", ok=SIGNED_IN, ok_status=400),
        api("achievement-withdraw", (draft,), method="post", ok=insiders, ok_status=400),
        api("demand-list"),
        # Managers and institution administrators record demands for enterprises (需求挖掘).
        api(
            "demand-list",
            method="post",
            ok=demand_recorders,
            ok_status=201,
            denied_status=400,
            data={
                "title": "接口登记的需求",
                "problem": "问题",
                "organization": personas.company.pk,
            },
            target=Demand,
        ),
        api("demand-detail", (chain.demand_draft,), ok=demand_owner),
        api(
            "demand-detail",
            (chain.demand_draft,),
            method="patch",
            data={"problem": "新的问题"},
            ok=demand_owner,
        ),
        api(
            "demand-publish", (chain.demand_published,), method="post", ok=SIGNED_IN, ok_status=400
        ),
        api("demand-close", (closed,), method="post", ok=demand_owner, ok_status=400),
        api("project-list"),
        api("project-detail", (project,), ok=project_viewers),
        api(
            "project-detail",
            (project,),
            method="patch",
            data={"description": "新的描述"},
            ok=insiders,
        ),
        api(
            "project-transition",
            (project,),
            method="post",
            data={"target": "mining"},
            ok=insiders,
            ok_status=400,
            special={"district_officer": 400},  # sees the project; the step is refused
        ),
        api("project-evidence", (project,), ok=project_viewers),
        api(
            "project-evidence",
            (project,),
            method="post",
            ok=insiders,
            ok_status=201,
            data={
                "kind": "evaluation_report",
                "occurred_on": "2025-02-01",
                "title": "成果评价报告",
                "party": "测试评价中心",
            },
            target=ProjectEvidence,
            special={"district_officer": 400},  # reads the project, records nothing on it
        ),
        api(
            "project-transition",
            (project,),
            method="post",
            data={"target": "landing", "override": True, "reason": "越过阶段门"},
            ok=insiders,
            ok_status=400,
            special={"district_officer": 400},
        ),
        api("project-activities", (project,), ok=project_viewers),
        api(
            "project-activities",
            (project,),
            method="post",
            ok=insiders,
            ok_status=201,
            data={"kind": "meeting", "summary": "接口记录的会议", "manager": personas.manager.pk},
            target=Activity,
            special={"district_officer": 400},
        ),
        # Linking another enterprise's hidden draft demand reads as a missing one (400).
        api(
            "project-list",
            method="post",
            data={
                "title": "链接草稿需求",
                "institution": personas.university.pk,
                "demands": [chain.demand_draft.pk],
            },
            ok={"municipal_admin"},
            ok_status=201,
            denied_status=400,
            target=Project,
        ),
        api("contract-list"),
        api("contract-detail", (contract,), ok=contract_viewers),
        api(
            "contract-detail",
            (contract,),
            method="patch",
            data={"title": "许可合同（修订）"},
            ok=insiders,
        ),
        # Without a project only the institution records a contract (a manager could not see it).
        api(
            "contract-list",
            method="post",
            data=new_contract,
            ok=institution,
            ok_status=201,
            denied_status=400,
            target=Contract,
        ),
        # A manager records one for a project they work on.
        api(
            "contract-list",
            method="post",
            data={**new_contract, "project": project.pk},
            ok=insiders,
            ok_status=201,
            denied_status=400,
            target=Contract,
        ),
        # Party roles come from the choices; a party organisation must exist (10^30 included).
        *[
            api(
                "contract-list",
                method="post",
                data={**new_contract, "party_list": [party]},
                ok=(),
                denied_status=400,
                target=Contract,
            )
            for party in (
                {"organization": personas.company.pk, "role": "king"},
                {"organization": 987_654_321, "role": "buyer"},
                {"organization": 10**30, "role": "buyer"},
                {"organization": "x", "role": "buyer"},
            )
        ],
        api("contract-receipts", (contract,), method="post", ok=contract_viewers, ok_status=400),
        api("contract-costs", (contract,), method="post", ok=contract_viewers, ok_status=400),
        api("contract-receipt-reverse", (contract, receipt), method="post", ok=contract_viewers,
            ok_status=400, target=receipt),
        api("contract-cost-reverse", (contract, cost), method="post", ok=contract_viewers,
            ok_status=400, target=cost),
        api("reward-split-list"),
        api(
            "reward-split-list",
            method="post",
            data=new_split,
            ok=insiders,
            ok_status=201,
            denied_status=400,
            target=RewardSplit,
        ),
        api("reward-split-detail", (approved,), ok=insiders),
        api("reward-split-approve", (approved,), method="post", ok=insiders, ok_status=400),
    ]
