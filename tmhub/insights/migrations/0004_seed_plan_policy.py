"""Seed the policy library with the one policy whose text the platform holds: the work plan
京科发〔2022〕14号 itself (data/jingkefa-2022-14.txt, a copy of the shared text), linked to the
platform rules it calls for — the title evaluation of technology managers (key task 4, the title
eligibility rules) and the share of net income for the transfer office's capacity building and
manager rewards (key task 3, the city's reward rules). District policies are entered by the districts;
none is seeded, since none is on file."""

import datetime
from pathlib import Path

from django.db import migrations

TEXT = Path(__file__).resolve().parent.parent / "data" / "jingkefa-2022-14.txt"
NUMBER = "京科发〔2022〕14号"
CITY_RULE_LEVEL = 2  # tmhub.transfer.choices.RuleLevel.CITY

POLICY = {
    "title": "关于推动北京市技术经理人队伍建设工作方案（2022—2025年）",
    "title_en": "Work plan for building Beijing's corps of technology managers (2022–2025)",
    "issuer": ("北京市科学技术委员会、中关村科技园区管理委员会、北京市人力资源和社会保障局、"
               "北京市教育委员会、北京市卫生健康委员会、北京市人才工作局"),
    "number": NUMBER,
    "issued_on": datetime.date(2022, 9, 23),
    "level": "city",
    "summary": ("到2025年底，全市培养技术经理人500名左右。重点任务：健全技术经理人培养体系、"
                "明确技术经理人岗位职责、建立技术经理人激励机制、完善技术经理人职称评价制度、"
                "探索技术经理人社会化评价、拓展技术经理人资源网络、推动技术经理人参与科研项目"
                "全程管理、推动各区用好技术经理人；保障措施：加强组织保障、发挥政策合力、注重"
                "宣传推广。"),
    "summary_en": ("About 500 technology managers trained in the city by the end of 2025. Eight "
                   "key tasks (training, posts and duties, incentives, professional titles, "
                   "third-party evaluation, the resource network, funded research projects, the "
                   "districts) and three guarantee measures (organisation, joint policy effort, "
                   "publicity)."),
}


def seed(apps, schema_editor):
    SupportPolicy = apps.get_model("insights", "SupportPolicy")
    if SupportPolicy.objects.filter(number=NUMBER).exists():
        return
    full_text = TEXT.read_text(encoding="utf-8").strip() if TEXT.exists() else ""
    policy = SupportPolicy.objects.create(**POLICY, full_text=full_text, status="published")
    RewardRule = apps.get_model("transfer", "RewardRule")
    EligibilityRule = apps.get_model("evaluation", "EligibilityRule")
    policy.reward_rules.set(RewardRule.objects.filter(level=CITY_RULE_LEVEL))
    policy.title_rules.set(EligibilityRule.objects.all())


def unseed(apps, schema_editor):
    apps.get_model("insights", "SupportPolicy").objects.filter(number=NUMBER).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0003_support_policies"),
        ("transfer", "0011_published_order"),
        ("evaluation", "0002_seed_titles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
