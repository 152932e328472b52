"""Seed the reward rules: Beijing's city default and the national statutory fallback.

Percentages are policy, so they live here as data (editable in the admin afterwards), each
with its legal basis. A rule change never alters an approved split (splits keep a snapshot).
"""

import datetime
from decimal import Decimal as D

from django.db import migrations

NATIONAL_LAW = (
    "《中华人民共和国促进科技成果转化法》（2015年修订）第四十五条：科技成果完成单位未规定、"
    "也未与科技人员约定奖励和报酬的方式和数额的，按照下列标准对完成、转化职务科技成果做出"
    "重要贡献的人员给予奖励和报酬：（一）将该项职务科技成果转让、许可给他人实施的，从该项"
    "科技成果转让净收入或者许可净收入中提取不低于百分之五十的比例；（二）利用该项职务科技"
    "成果作价投资的，从该项科技成果形成的股份或者出资比例中提取不低于百分之五十的比例；"
    "（三）将该项职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功投产后连续"
    "三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之五的比例。"
    "Law of the PRC on Promoting the Transformation of Scientific and Technological "
    "Achievements (2015), Article 45."
)
BEIJING_REGULATION = (
    "《北京市促进科技成果转化条例》（2019年11月27日北京市第十五届人民代表大会常务委员会"
    "第十六次会议通过，自2020年1月1日起施行）：政府设立的研发机构、高等院校可以从技术转让"
    "或者许可所取得的净收入中提取不低于百分之七十的比例用于奖励；利用职务科技成果作价投资"
    "的，从该项科技成果形成的股份或者出资比例中提取不低于百分之七十的比例用于奖励。奖励和"
    "报酬支出计入当年本单位工资总额，但不受当年本单位工资总额限制、不纳入本单位工资总额"
    "基数。Beijing Municipal Regulations on Promoting the Transformation of Scientific and "
    "Technological Achievements (2019): at least 70%; rewards are outside the performance-pay "
    "cap."
)

NATIONAL_FROM = datetime.date(2015, 10, 1)
BEIJING_FROM = datetime.date(2020, 1, 1)

# name, level, mode, basis, minimum, team, office, institution, years, basis text, from
RULES = [
    ("北京市：技术转让净收入奖励", 2, "assignment", "net_income", D(70), D(70), D(10), D(20),
     None, BEIJING_REGULATION, BEIJING_FROM),
    ("北京市：技术许可净收入奖励", 2, "licence", "net_income", D(70), D(70), D(10), D(20),
     None, BEIJING_REGULATION, BEIJING_FROM),
    ("北京市：作价投资股权奖励", 2, "equity", "equity", D(70), D(70), D(10), D(20),
     None, BEIJING_REGULATION, BEIJING_FROM),
    ("国家兜底：转让净收入奖励", 1, "assignment", "net_income", D(50), D(50), D(10), D(40),
     None, NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：许可净收入奖励", 1, "licence", "net_income", D(50), D(50), D(10), D(40),
     None, NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：作价投资股权奖励", 1, "equity", "equity", D(50), D(50), D(10), D(40),
     None, NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：自行实施营业利润奖励", 1, "self", "operating_profit", D(5), D(5), D(0), D(95),
     (3, 5), NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：合作实施营业利润奖励", 1, "cooperation", "operating_profit", D(5), D(5), D(0),
     D(95), (3, 5), NATIONAL_LAW, NATIONAL_FROM),
]


def seed(apps, schema_editor):
    RewardRule = apps.get_model("transfer", "RewardRule")
    for name, level, mode, basis, minimum, team, office, inst, years, text, start in RULES:
        RewardRule.objects.get_or_create(
            name=name,
            defaults={
                "level": level, "transfer_mode": mode, "basis": basis,
                "min_team_share": minimum, "default_team_share": team,
                "default_office_share": office, "default_institution_share": inst,
                "min_years": years[0] if years else None,
                "max_years": years[1] if years else None,
                "legal_basis": text, "effective_from": start,
            },
        )


def unseed(apps, schema_editor):
    RewardRule = apps.get_model("transfer", "RewardRule")
    RewardRule.objects.filter(name__in=[r[0] for r in RULES], splits__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("transfer", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
