"""Seed the competence taxonomy and the first annual-filing policy (both editable in admin)."""

import datetime

from django.db import migrations

COMPETENCES = [
    ("LAW", "法律", "Law"),
    ("FIN", "金融", "Finance"),
    ("MGMT", "管理", "Management"),
    ("IP", "知识产权", "Intellectual property"),
    ("VALUE", "技术评估与作价", "Technology valuation"),
    ("NEGO", "商务谈判", "Negotiation"),
    ("BD", "商业拓展", "Business development"),
    ("MKT", "市场分析", "Market analysis"),
    ("INCUB", "孵化与创业辅导", "Incubation and start-up coaching"),
    ("INVEST", "投融资", "Investment and financing"),
    ("CONTRACT", "技术合同", "Technology contracts"),
    ("POLICY", "政策咨询", "Policy advisory"),
    ("PATENT", "专利运营", "Patent operation"),
    ("INTL", "国际技术转移", "International technology transfer"),
    ("STD", "标准化", "Standardisation"),
    ("PM", "项目管理", "Project management"),
]


def seed(apps, schema_editor):
    Competence = apps.get_model("talent", "Competence")
    FilingPolicy = apps.get_model("talent", "FilingPolicy")
    for order, (code, zh, en) in enumerate(COMPETENCES):
        Competence.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order}
        )
    FilingPolicy.objects.get_or_create(
        effective_from=datetime.date(2022, 1, 1),
        defaults={
            "due_month": 3, "due_day": 31, "grace_days": 90,
            "legal_basis": (
                "《北京市技术经理人队伍建设工作方案（2022—2025年）》（京科发〔2022〕14号）："
                "入库技术经理人和技术转移机构应按年度报送上一年度工作情况，逾期未备案的暂停入库资格。"
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
