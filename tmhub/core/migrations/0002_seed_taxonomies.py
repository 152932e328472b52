"""Seed the districts, the industry-field taxonomy and the NSFC discipline codes.

Districts and fields are reference data that administrators may extend in the admin;
disciplines come from the bundled NSFC file (see core/data/README.md).
"""

import json
from pathlib import Path

from django.db import migrations

DISTRICTS = [
    ("110101", "东城区", "Dongcheng"), ("110102", "西城区", "Xicheng"),
    ("110105", "朝阳区", "Chaoyang"), ("110106", "丰台区", "Fengtai"),
    ("110107", "石景山区", "Shijingshan"), ("110108", "海淀区", "Haidian"),
    ("110109", "门头沟区", "Mentougou"), ("110111", "房山区", "Fangshan"),
    ("110112", "通州区", "Tongzhou"), ("110113", "顺义区", "Shunyi"),
    ("110114", "昌平区", "Changping"), ("110115", "大兴区", "Daxing"),
    ("110116", "怀柔区", "Huairou"), ("110117", "平谷区", "Pinggu"),
    ("110118", "密云区", "Miyun"), ("110119", "延庆区", "Yanqing"),
    ("BDA", "北京经济技术开发区", "Beijing Economic-Technological Development Area"),
]

# Beijing's high-end ("高精尖") industries; the first four are the plan's priority fields.
FIELDS = [
    ("AI", "人工智能", "Artificial intelligence", True),
    ("MED", "医药健康", "Medicine and health", True),
    ("EQUIP", "智能装备", "Smart equipment", True),
    ("NGIT", "新一代信息技术", "New-generation information technology", True),
    ("IC", "集成电路", "Integrated circuits", False),
    ("ICV", "智能网联汽车", "Intelligent connected vehicles", False),
    ("GREEN", "绿色能源与节能环保", "Green energy and environmental protection", False),
    ("BLOCK", "区块链与先进计算", "Blockchain and advanced computing", False),
    ("MAT", "新材料", "New materials", False),
    ("SPACE", "商业航天", "Commercial aerospace", False),
    ("BIOMFG", "生物制造", "Biomanufacturing", False),
    ("SCISERV", "科技服务业", "Science and technology services", False),
    ("CITY", "智慧城市", "Smart city", False),
    ("CONTENT", "信息内容消费", "Digital content", False),
    ("AGRI", "现代农业", "Modern agriculture", False),
]


def seed(apps, schema_editor):
    District = apps.get_model("core", "District")
    IndustryField = apps.get_model("core", "IndustryField")
    Discipline = apps.get_model("core", "Discipline")
    for order, (code, zh, en) in enumerate(DISTRICTS):
        District.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order}
        )
    for order, (code, zh, en, priority) in enumerate(FIELDS):
        IndustryField.objects.update_or_create(
            code=code,
            defaults={"name_zh": zh, "name_en": en, "is_priority": priority,
                      "sort_order": order},
        )
    path = Path(__file__).resolve().parent.parent / "data" / "nsfc_disciplines.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    existing = set(Discipline.objects.values_list("code", flat=True))
    Discipline.objects.bulk_create(
        [
            Discipline(code=r["_id"], name_zh=r["name"], name_en=r.get("name_en") or "",
                       level=max(1, (len(r["_id"]) - 1) // 2))
            for r in rows if r["_id"] not in existing
        ],
        batch_size=1000,
    )
    by_code = {d.code: d for d in Discipline.objects.all()}
    updates = []
    for r in rows:
        parents = r.get("parents") or []
        if parents and parents[0] in by_code:
            child = by_code[r["_id"]]
            child.parent_id = by_code[parents[0]].pk
            updates.append(child)
    Discipline.objects.bulk_update(updates, ["parent"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
