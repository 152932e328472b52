"""Seed the two indicator-system templates of SPEC §6 (issue 17 item 1), published as version 1
and flagged `is_template`: starting points the city edits (a new version), not official
figures. T/CASTEM 1007—2022 defines the three levels 初级/中级/高级 but its indicators and
weights are not public here: the manager system follows a provincial certification practice's
five dimensions, the institution system a provincial TTO evaluation practice's weights
(基础条件 10, 服务绩效 30, 服务能力 30, 规范管理 20, 社会信誉 10). Leaves, their weights and
curves are this platform's proposal. Money in yuan."""

from django.db import migrations
from django.utils import timezone

D, C, S = "dimension", "computed", "scored"


def th(*steps):
    return {"kind": "thresholds", "steps": [[str(m), str(p)] for m, p in steps]}


def lin(zero, full):
    return {"kind": "linear", "zero": str(zero), "full": str(full)}


MANAGER = {
    "code": "manager-capability",
    "name_zh": "技术经理人能力评价指标体系（模板）",
    "name_en": "Technology manager capability indicators (template)",
    "subject_kind": "manager",
    "basis": ("模板，供市科委修订后发布新版本；权重与评分曲线为平台建议值，非官方数字。等级参照"
              "T/CASTEM 1007—2022《技术经理人能力评价规范》的初级/中级/高级三级（其指标与权重未公开）；"
              "五个维度参照省级技术经理人能力认定实践（资质学历、专业素质、业务能力、从业经历、服务业绩）。"
              "Template for the city to edit: weights and curves are proposals, not official "
              "figures."),
    "levels": [{"code": "junior", "name_zh": "初级", "name_en": "Junior", "min": "60"},
               {"code": "intermediate", "name_zh": "中级", "name_en": "Intermediate",
                "min": "75"},
               {"code": "senior", "name_zh": "高级", "name_en": "Senior", "min": "90"}],
    "tree": [
        ("qualification", D, "资质学历", "Qualifications and education", 15, "", None, "", [
            ("q-education", S, "学历与专业技术职称", "Education and professional title", 100,
             "", None, "评审专家依据学历、学位和专业技术职称证明评分（0–100）。", []),
        ]),
        ("professional", D, "专业素质", "Professional competence", 20, "", None, "", [
            ("p-ce-hours", C, "继续教育学时", "Continuing-education hours", 50,
             "continuing_education_hours", lin(0, 40), "期间内学时，40学时及以上满分。", []),
            ("p-certificates", C, "培训证书", "Training certificates", 20, "certificates_held",
             th((1, 100)), "期间内颁发且未撤销的培训证书。", []),
            ("p-knowledge", S, "专业知识与职业道德", "Knowledge and professional ethics", 30, "",
             None, "评审专家评分（0–100）。", []),
        ]),
        ("capability", D, "业务能力", "Business capability", 20, "", None, "", [
            ("b-introductions", C, "完成的引荐", "Introductions made", 30,
             "transfer_introductions", lin(0, 10), "10次及以上满分。", []),
            ("b-client-rating", C, "服务机构评价", "Client ratings", 30, "client_rating",
             lin(3, 5), "平均分3分及以下0分，5分满分。", []),
            ("b-matching", S, "需求挖掘与对接能力", "Demand discovery and matching", 40, "",
             None, "评审专家评分（0–100）。", []),
        ]),
        ("experience", D, "从业经历", "Professional experience", 15, "", None, "", [
            ("e-projects", C, "服务的转化项目", "Transfer projects served", 60,
             "transfer_projects_served", th((1, 40), (3, 70), (5, 100)), "", []),
            ("e-pilots", C, "参与管理的试点项目", "Pilot projects managed", 40, "pilots_managed",
             th((1, 60), (2, 100)), "", []),
        ]),
        ("performance", D, "服务业绩", "Service performance", 30, "", None, "", [
            ("r-deals", C, "成交项目", "Deals", 30, "transfer_deals",
             th((1, 50), (3, 80), (5, 100)), "", []),
            ("r-contract-value", C, "签订合同金额", "Contract value", 30,
             "transfer_contract_value_fen", lin(0, 5_000_000), "500万元及以上满分。", []),
            ("r-net-income", C, "转化净收入", "Net transfer income", 25,
             "transfer_net_income_fen", lin(0, 2_000_000), "200万元及以上满分。", []),
            ("r-landings", C, "参与项目落地", "Landings", 15, "districts.manager_landings",
             th((1, 70), (2, 100)), "", []),
        ]),
    ],
}

INSTITUTION = {
    "code": "institution-tto",
    "name_zh": "技术转移机构评价指标体系（模板）",
    "name_en": "Technology-transfer institution indicators (template)",
    "subject_kind": "institution",
    "basis": ("模板，供市科委修订后发布新版本。一级指标权重参照省级技术转移机构评价实践：基础条件10、"
              "服务绩效30、服务能力30、规范管理20、社会信誉10；二级指标与评分曲线为平台建议值。"
              "Template for the city to edit: top-level weights from a provincial TTO "
              "evaluation practice, the rest are proposals."),
    "levels": [{"code": "a", "name_zh": "A级", "name_en": "A", "min": "60"},
               {"code": "aa", "name_zh": "AA级", "name_en": "AA", "min": "75"},
               {"code": "aaa", "name_zh": "AAA级", "name_en": "AAA", "min": "90"}],
    "tree": [
        ("basics", D, "基础条件", "Basic conditions", 10, "", None, "", [
            ("i-staff", C, "专职人员数", "Full-time staff", 50, "institution_fulltime_staff",
             th((1, 40), (3, 70), (5, 100)), "", []),
            ("i-managers", C, "已入库技术经理人数", "Registered technology managers", 50,
             "institution_registered_managers", th((1, 40), (5, 70), (10, 100)), "", []),
        ]),
        ("service-performance", D, "服务绩效", "Service performance", 30, "", None, "", [
            ("i-contracts", C, "签订技术合同数", "Contracts signed", 40,
             "institution_contracts_signed", lin(0, 50), "50份及以上满分。", []),
            ("i-income", C, "技术收入到账金额", "Technology income received", 60,
             "institution_income_fen", lin(0, 10_000_000), "1000万元及以上满分。", []),
        ]),
        ("service-capability", D, "服务能力", "Service capability", 30, "", None, "", [
            ("i-titles", C, "职称评审通过数", "Titles approved", 30,
             "title_applications_approved", th((1, 60), (3, 100)), "", []),
            ("i-capability", S, "服务能力（专家评议）", "Service capability (expert review)", 70,
             "", None, "评审专家评分（0–100）。", []),
        ]),
        ("management", D, "规范管理", "Management", 20, "", None, "", [
            ("i-rules", S, "制度建设与规范运行", "Rules and their application", 100, "", None,
             "评审专家评分（0–100）。", []),
        ]),
        ("reputation", D, "社会信誉", "Reputation", 10, "", None, "", [
            ("i-reputation", S, "社会信誉", "Reputation", 100, "", None,
             "评审专家依据用户评价和奖惩记录评分（0–100）。", []),
        ]),
    ],
}


def seed(apps, schema_editor):
    System = apps.get_model("evaluation", "IndicatorSystem")
    Indicator = apps.get_model("evaluation", "Indicator")
    for data in (MANAGER, INSTITUTION):
        if System.objects.filter(code=data["code"]).exists():
            continue
        system = System.objects.create(
            code=data["code"], version=1, name_zh=data["name_zh"], name_en=data["name_en"],
            subject_kind=data["subject_kind"], status="draft", is_template=True,
            basis=data["basis"], levels=data["levels"])

        def add(nodes, parent):
            for order, (code, kind, zh, en, weight, key, curve, guidance, children) in \
                    enumerate(nodes, start=1):
                node = Indicator.objects.create(
                    system=system, parent=parent, code=code, kind=kind, name_zh=zh,
                    name_en=en, weight=weight, order=order, metric_key=key,
                    curve=curve or {}, guidance=guidance)
                add(children, node)

        add(data["tree"], None)
        # published (frozen) once its tree is in: the model refuses nodes of a published system
        System.objects.filter(pk=system.pk).update(status="published",
                                                   published_at=timezone.now())


def unseed(apps, schema_editor):
    System = apps.get_model("evaluation", "IndicatorSystem")
    Indicator = apps.get_model("evaluation", "Indicator")
    codes = [MANAGER["code"], INSTITUTION["code"]]
    Indicator.objects.filter(system__code__in=codes, system__version=1).delete()
    System.objects.filter(code__in=codes, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0011_indicator_systems")]

    operations = [migrations.RunPython(seed, unseed)]
