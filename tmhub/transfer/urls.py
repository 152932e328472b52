from django.urls import path

from tmhub.transfer.views import achievements as a
from tmhub.transfer.views import contracts as c
from tmhub.transfer.views import demands as d
from tmhub.transfer.views import home
from tmhub.transfer.views import projects as p
from tmhub.transfer.views import rewards as r

app_name = "transfer"

urlpatterns = [
    path("", home.home, name="home"),
    path("achievements/", a.AchievementListView.as_view(), name="achievement-list"),
    path("achievements/new/", a.achievement_create, name="achievement-create"),
    path("achievements/<int:pk>/", a.achievement_detail, name="achievement-detail"),
    path("achievements/<int:pk>/edit/", a.achievement_edit, name="achievement-edit"),
    path("achievements/<int:pk>/to/<slug:target>/", a.achievement_transition,
         name="achievement-transition"),
    path("achievements/<int:pk>/ip/", a.achievement_ip_add, name="achievement-ip-add"),
    path("ip/<int:pk>/remove/", a.achievement_ip_remove, name="achievement-ip-remove"),
    path("achievements/<int:pk>/files/", a.achievement_attachment_add,
         name="achievement-attachment-add"),
    path("files/<int:pk>/", a.attachment_download, name="attachment-download"),
    path("demands/", d.DemandListView.as_view(), name="demand-list"),
    path("demands/new/", d.demand_create, name="demand-create"),
    path("demands/<int:pk>/", d.demand_detail, name="demand-detail"),
    path("demands/<int:pk>/edit/", d.demand_edit, name="demand-edit"),
    path("demands/<int:pk>/to/<slug:target>/", d.demand_transition, name="demand-transition"),
    path("projects/", p.ProjectListView.as_view(), name="project-list"),
    path("projects/board/", p.project_board, name="project-board"),
    path("projects/new/", p.project_create, name="project-create"),
    path("projects/<int:pk>/", p.project_detail, name="project-detail"),
    path("projects/<int:pk>/edit/", p.project_edit, name="project-edit"),
    path("projects/<int:pk>/move/", p.project_move, name="project-move"),
    path("projects/<int:pk>/managers/", p.project_assign, name="project-assign"),
    path("assignments/<int:pk>/release/", p.project_release, name="project-release"),
    path("projects/<int:pk>/activities/", p.project_activity, name="project-activity"),
    path("projects/<int:pk>/evidence/", p.project_evidence, name="project-evidence"),
    path("evidence/<int:pk>/file/", p.evidence_download, name="evidence-download"),
    path("contracts/", c.ContractListView.as_view(), name="contract-list"),
    path("contracts/new/", c.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", c.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", c.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/receipts/", c.contract_receipt, name="contract-receipt"),
    path("contracts/<int:pk>/costs/", c.contract_cost, name="contract-cost"),
    path("contracts/<int:pk>/schedule/", c.contract_installment, name="contract-installment"),
    path("receipts/<int:pk>/reverse/", c.receipt_reverse, name="receipt-reverse"),
    path("costs/<int:pk>/reverse/", c.cost_reverse, name="cost-reverse"),
    path("splits/", r.SplitListView.as_view(), name="split-list"),
    path("splits/new/", r.split_create, name="split-create"),
    path("splits/<int:pk>/", r.split_detail, name="split-detail"),
    path("splits/<int:pk>/approve/", r.split_approve, name="split-approve"),
    path("splits/<int:pk>/cancel/", r.split_cancel, name="split-cancel"),
    path("splits/<int:pk>/statement.pdf", r.split_pdf, name="split-pdf"),
    path("splits/<int:pk>/statement.xlsx", r.split_xlsx, name="split-xlsx"),
    path("rules/", r.rule_list, name="rule-list"),
    path("rules/<int:pk>/", r.rule_detail, name="rule-detail"),
]
