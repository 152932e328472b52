"""The demo city's foundation: organisations from real public data and one user per role."""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from stdnum.cn import uscc

from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department, OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.core.roles import Role

DEMO_PASSWORD = "TmHub-demo-2025"
HERE = Path(__file__).resolve().parent


@dataclass
class DemoContext:
    """Shared by the app seeders: users by username, organisations by name, a fixed RNG."""

    password: str | None = None
    stdout: object = None
    rng: random.Random = field(default_factory=lambda: random.Random(20251231))
    users: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)

    def __post_init__(self):
        self.password = self.password or os.environ.get("DEMO_PASSWORD") or DEMO_PASSWORD

    def log(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)


def demo_credit_code(name: str, registry_prefix: str) -> str:
    """A deterministic, check-digit-valid (GB 32100) credit code for a demo organisation."""
    digest = int(hashlib.sha256(name.encode()).hexdigest(), 16)
    body = registry_prefix + "110000" + f"{digest % 10**9:09d}"
    return body + uscc.calc_check_digit(body + "0")


# Higher-education institutions cluster in Haidian and Changping; the rest spread out.
UNIVERSITY_DISTRICT_WEIGHTS = {
    "110108": 10, "110114": 5, "110105": 4, "110111": 2, "110102": 2, "110101": 1,
    "110106": 1, "110115": 1, "110112": 1, "110113": 1, "110107": 1,
}


def _load_universities() -> list[dict]:
    path = settings.SHARED_DATA_DIR / "beijing_universities.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def _org(ctx, *, name, name_en="", kind, district_code, field_codes, prefix, **extra):
    from tmhub.orgs.models import Organization
    from tmhub.orgs.services import create_organization

    existing = Organization.objects.filter(name=name).first()
    if existing:
        ctx.orgs[name] = existing
        return existing
    districts = {d.code: d for d in District.objects.all()}
    fields = list(IndustryField.objects.filter(code__in=field_codes))
    organization = create_organization(
        actor=SYSTEM, name=name, name_en=name_en, kind=kind,
        credit_code=demo_credit_code(name, prefix), district=districts.get(district_code),
        fields=fields, **extra,
    )
    ctx.orgs[name] = organization
    return organization


def seed_organizations(ctx: DemoContext) -> None:
    field_codes = list(IndustryField.objects.values_list("code", flat=True))
    district_codes = list(UNIVERSITY_DISTRICT_WEIGHTS)
    weights = list(UNIVERSITY_DISTRICT_WEIGHTS.values())
    for row in _load_universities():
        rng = random.Random(row["code"])
        _org(
            ctx, name=row["name"], kind=OrgKind.UNIVERSITY,
            district_code=rng.choices(district_codes, weights)[0],
            field_codes=rng.sample(field_codes, 2), prefix="12",
            institution_code=row.get("code", ""),
            supervising_department=row.get("department", ""),
            has_transfer_office=row.get("level") == "本科" and rng.random() < 0.7,
            description=f"{row.get('department', '')} · {row.get('level', '')}",
        )
    catalogue = json.loads((HERE / "organizations.json").read_text(encoding="utf-8"))
    for kind, rows in catalogue.items():
        prefix = "12" if kind in ("research_institute", "medical") else "91"
        for name, name_en, district_code, codes in rows:
            _org(ctx, name=name, name_en=name_en, kind=kind, district_code=district_code,
                 field_codes=codes, prefix=prefix,
                 has_transfer_office=kind in ("research_institute", "medical"))


# username, display name, role, scope (org name / district code / department)
DEMO_USERS = [
    ("municipal", "市科委 王主任", Role.MUNICIPAL_ADMIN, None),
    ("edu_officer", "市教委 李处长", Role.DEPARTMENT_OFFICER, Department.EDUCATION),
    ("health_officer", "市卫健委 赵处长", Role.DEPARTMENT_OFFICER, Department.HEALTH),
    ("haidian_officer", "海淀区 陈科长", Role.DISTRICT_OFFICER, "110108"),
    ("tto_admin", "清华大学技术转移研究院 张老师", Role.INSTITUTION_ADMIN, "清华大学"),
    ("manager", "技术经理人 刘洋", Role.MANAGER, "清华大学"),
    (Role.ENTERPRISE, "北京智联感知 周经理", Role.ENTERPRISE, "北京智联感知科技有限公司"),
    ("provider", "北京慧知知识产权 吴律师", Role.SERVICE_PROVIDER, "北京慧知知识产权代理有限公司"),
    ("reviewer", "评审专家 孙教授", Role.REVIEWER, None),
]


def seed_users(ctx: DemoContext) -> None:
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.orgs.models import Organization

    if not User.objects.filter(username="admin").exists():
        create_user(actor=SYSTEM, username="admin", password=ctx.password,
                    email="admin@tmhub.local", display_name="系统管理员", is_superuser=True)
    for username, display, role, target in DEMO_USERS:
        user = User.objects.filter(username=username).first() or create_user(
            actor=SYSTEM, username=username, password=ctx.password,
            email=f"{username}@tmhub.local", display_name=display,
        )
        ctx.users[username] = user
        kwargs = {}
        if role == Role.DEPARTMENT_OFFICER:
            kwargs["department"] = target
        elif role == Role.DISTRICT_OFFICER:
            kwargs["district"] = District.objects.get(code=target)
        elif target:
            kwargs["organization"] = Organization.objects.get(name=target)
        grant_membership(actor=SYSTEM, user=user, role=role, **kwargs)


def seed(ctx: DemoContext) -> None:
    seed_organizations(ctx)
    seed_users(ctx)
