"""Permission cases of every transfer page and endpoint, for every persona.

Steps posted here are chosen so they are refused or idempotent (an illegal target, a frozen
split, an empty form): the matrix checks who reaches the step, not the step's effect.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, login_required_page
from tmhub.transfer import services
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
    helper = create_user(actor=None, username="p_helper", password="x-Pass-2025")
    grant_membership(actor=None, user=helper, role="manager", organization=personas.university)
    extra = services.assign_manager(chain.project, actor=personas.institution_admin, user=helper)
    closed = services.create_demand(
        actor=personas.enterprise, organization=personas.company, title="已关闭需求", problem="问题"
    )
    closed = services.close_demand(closed, actor=personas.enterprise, reason="已解决")
    demand_owner = {"municipal_admin", "enterprise"}
    contract_viewers = insiders | {"enterprise"}
    draft, published, project = chain.draft.pk, chain.published.pk, chain.project.pk
    contract, approved = chain.contract.pk, chain.split_approved.pk
    team = make_team(personas)
    institution = {"municipal_admin", "institution_admin"}
    new_contract = {
        "title": "接口登记的合同", "kind": "licence", "institution": personas.university.pk,
        "amount_fen": 100_000, "signed_on": "2025-06-01",
    }
    return [
        Case("transfer:home", ok=EVERYONE),
        # achievements
        Case("transfer:achievement-list", ok=EVERYONE),
        Case("transfer:achievement-list", ok=EVERYONE, query="export=csv&q=机密"),
        Case("transfer:achievement-detail", (draft,), ok=insiders),
        Case("transfer:achievement-detail", (published,), ok=EVERYONE),
        login_required_page("transfer:achievement-create", ok=insiders),
        login_required_page("transfer:achievement-edit", (draft,), ok=insiders),
        login_required_page(
            "transfer:achievement-transition",
            (draft, "withdrawn"),
            ok=insiders,
            ok_status=302,
            method="post",
        ),
        login_required_page(
            "transfer:achievement-ip-add", (draft,), ok=insiders, ok_status=302, method="post"
        ),
        login_required_page(
            "transfer:achievement-ip-remove", (record.pk + 10_000,), ok=(), method="post"
        ),
        login_required_page(
            "transfer:achievement-attachment-add",
            (draft,),
            ok=insiders,
            ok_status=302,
            method="post",
        ),
        login_required_page("transfer:attachment-download", (attachment.pk,), ok=insiders),
        # demands
        Case("transfer:demand-list", ok=EVERYONE),
        Case("transfer:demand-detail", (chain.demand_draft.pk,), ok=demand_owner),
        Case("transfer:demand-detail", (chain.demand_published.pk,), ok=EVERYONE),
        login_required_page(
            "transfer:demand-create",
            ok={"municipal_admin", "enterprise", "manager", "institution_admin"},
        ),
        login_required_page("transfer:demand-edit", (chain.demand_draft.pk,), ok=demand_owner),
        login_required_page(
            "transfer:demand-transition",
            (chain.demand_draft.pk, "draft"),
            ok=demand_owner,
            ok_status=302,
            method="post",
        ),
        # projects
        Case("transfer:project-list", ok=EVERYONE),
        login_required_page("transfer:project-board", ok=SIGNED_IN),
        login_required_page("transfer:project-create", ok=insiders),
        login_required_page("transfer:project-detail", (project,), ok=insiders),
        login_required_page("transfer:project-edit", (project,), ok=insiders),
        login_required_page(
            "transfer:project-move",
            (project,),
            ok=insiders,
            ok_status=302,
            method="post",
            data={"target": "mining"},
        ),
        login_required_page(
            "transfer:project-assign", (project,), ok=insiders, ok_status=302, method="post"
        ),
        login_required_page(
            "transfer:project-release", (extra.pk,), ok=insiders, ok_status=302, method="post"
        ),
        login_required_page(
            "transfer:project-activity", (project,), ok=insiders, ok_status=302, method="post"
        ),
        # A supporting manager (personas.manager here) cannot release the lead manager.
        login_required_page(
            "transfer:project-release",
            (team.lead_assignment.pk,),
            ok=institution,
            ok_status=302,
            method="post",
        ),
        # contracts
        Case("transfer:contract-list", ok=EVERYONE),
        login_required_page("transfer:contract-detail", (contract,), ok=contract_viewers),
        login_required_page("transfer:contract-create", ok=insiders),
        login_required_page("transfer:contract-edit", (contract,), ok=insiders),
        login_required_page(
            "transfer:contract-receipt", (contract,), ok=insiders, ok_status=302, method="post"
        ),
        login_required_page(
            "transfer:contract-cost", (contract,), ok=insiders, ok_status=302, method="post"
        ),
        login_required_page(
            "transfer:contract-installment", (contract,), ok=insiders, ok_status=302, method="post"
        ),
        # reward splits and rules
        Case("transfer:split-list", ok=EVERYONE),
        login_required_page("transfer:split-create", ok=insiders),
        login_required_page("transfer:split-detail", (approved,), ok=insiders),
        login_required_page("transfer:split-detail", (chain.split_draft.pk,), ok=insiders),
        login_required_page(
            "transfer:split-approve", (approved,), ok=insiders, ok_status=302, method="post"
        ),
        login_required_page(
            "transfer:split-cancel", (approved,), ok=insiders, ok_status=302, method="post"
        ),
        # Released from the project, the manager still sees its draft split but cannot cancel
        # it (posted without a reason, so the institution's own attempt is refused, unchanged).
        login_required_page("transfer:split-detail", (team.left_split.pk,), ok=insiders),
        login_required_page(
            "transfer:split-cancel",
            (team.left_split.pk,),
            ok=institution,
            ok_status=302,
            method="post",
        ),
        login_required_page("transfer:split-pdf", (approved,), ok=insiders),
        login_required_page("transfer:split-xlsx", (approved,), ok=insiders),
        Case("transfer:rule-list", ok=EVERYONE),
        Case("transfer:rule-detail", (chain.split_approved.rule_id,), ok=EVERYONE),
        # API
        Case("achievement-list", ok=EVERYONE),
        Case("achievement-list", ok=EVERYONE, query="search=机密"),
        Case("achievement-detail", (draft,), ok=insiders),
        Case("achievement-detail", (published,), ok=EVERYONE),
        Case(
            "achievement-publish",
            (published,),
            method="post",
            ok=SIGNED_IN,
            ok_status=400,
            anon_status=401,
        ),
        Case(
            "achievement-withdraw",
            (draft,),
            method="post",
            ok=insiders,
            ok_status=400,
            anon_status=401,
        ),
        Case("demand-list", ok=EVERYONE),
        Case("demand-detail", (chain.demand_draft.pk,), ok=demand_owner),
        Case(
            "demand-publish",
            (chain.demand_published.pk,),
            method="post",
            ok=SIGNED_IN,
            ok_status=400,
            anon_status=401,
        ),
        Case(
            "demand-close",
            (closed.pk,),
            method="post",
            ok=demand_owner,
            ok_status=400,
            anon_status=401,
        ),
        Case("project-list", ok=EVERYONE),
        Case("project-detail", (project,), ok=insiders),
        Case(
            "project-transition",
            (project,),
            method="post",
            data={"target": "mining"},
            ok=insiders,
            ok_status=400,
            anon_status=401,
        ),
        Case("project-activities", (project,), ok=insiders),
        # Linking another enterprise's hidden draft demand reads as a missing one (400).
        Case(
            "project-list",
            method="post",
            data={"title": "链接草稿需求", "institution": personas.university.pk,
                  "demands": [chain.demand_draft.pk]},
            ok={"municipal_admin"},
            ok_status=201,
            denied_status=400,
            anon_status=401,
        ),
        Case("contract-list", ok=EVERYONE),
        Case("contract-detail", (contract,), ok=contract_viewers),
        # Without a project only the institution records a contract (a manager could not see it).
        Case(
            "contract-list",
            method="post",
            data=new_contract,
            ok=institution,
            ok_status=201,
            denied_status=400,
            anon_status=401,
        ),
        # A manager records one for a project they work on.
        Case(
            "contract-list",
            method="post",
            data={**new_contract, "project": project},
            ok=insiders,
            ok_status=201,
            denied_status=400,
            anon_status=401,
        ),
        # Party roles come from the choices; a party organisation must exist (10^30 included).
        *[
            Case(
                "contract-list",
                method="post",
                data={**new_contract, "party_list": [party]},
                denied_status=400,
                anon_status=401,
            )
            for party in (
                {"organization": personas.company.pk, "role": "king"},
                {"organization": 987_654_321, "role": "buyer"},
                {"organization": 10**30, "role": "buyer"},
                {"organization": "x", "role": "buyer"},
            )
        ],
        Case(
            "contract-receipts",
            (contract,),
            method="post",
            ok=contract_viewers,
            ok_status=400,
            anon_status=401,
        ),
        Case("reward-split-list", ok=EVERYONE),
        Case("reward-split-detail", (approved,), ok=insiders),
        Case(
            "reward-split-approve",
            (approved,),
            method="post",
            ok=insiders,
            ok_status=400,
            anon_status=401,
        ),
    ]
