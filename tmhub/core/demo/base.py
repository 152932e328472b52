"""The demo city's foundation: organisations from real public data and one user per role."""

from __future__ import annotations

import hashlib
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from stdnum.cn import uscc

from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department, OrgKind
from tmhub.core.demo import csl, places
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


def _org(ctx, *, name, name_en="", kind, district, field_codes, prefix, **extra):
    from tmhub.orgs.models import Organization
    from tmhub.orgs.services import create_organization, update_organization

    existing = Organization.objects.filter(name=name).first()
    if existing:
        # A demo seeded before the districts came from the data files is put right.
        if district is not None and existing.district_id != district.pk:
            existing = update_organization(existing, actor=SYSTEM, district=district)
        ctx.orgs[name] = existing
        return existing
    fields = list(IndustryField.objects.filter(code__in=field_codes))
    organization = create_organization(
        actor=SYSTEM, name=name, name_en=name_en, kind=kind,
        credit_code=demo_credit_code(name, prefix), district=district,
        fields=fields, **extra,
    )
    ctx.orgs[name] = organization
    return organization


def _fields_of(name, kind) -> list[str]:
    """The industry fields of an institution: those its disciplines serve (two at most)."""
    codes = [csl.FIELD_OF[d] for d in csl.disciplines_for(name, kind) if d in csl.FIELD_OF]
    return list(dict.fromkeys(codes))[:2]


def seed_organizations(ctx: DemoContext) -> None:
    """Real institutions from the shared data files, each in the district its file gives
    (none where the file has none), then the demo's invented companies and service providers."""
    catalogue = json.loads((HERE / "organizations.json").read_text(encoding="utf-8"))
    english = catalogue.pop("_english_names")
    for row in places.rows("beijing_universities_districts.json"):
        name = row["name"]
        rng = random.Random(row["code"])
        _org(
            ctx, name=name, name_en=english.get(name, ""), kind=OrgKind.UNIVERSITY,
            district=places.district_of(name), field_codes=_fields_of(name, OrgKind.UNIVERSITY),
            prefix="12", institution_code=row.get("code", ""),
            supervising_department=row.get("department", ""),
            address=row.get("campus_address") or "",
            has_transfer_office=row.get("level") == "本科" and rng.random() < 0.7,
            description=f"{row.get('department', '')} · {row.get('level', '')}",
        )
    for filename, kind in (("beijing_research_institutes.json", OrgKind.RESEARCH_INSTITUTE),
                           ("beijing_hospitals.json", OrgKind.MEDICAL)):
        for row in places.rows(filename):
            name = row["name"]
            _org(ctx, name=name, name_en=english.get(name, ""), kind=kind,
                 district=places.district_of(name), field_codes=_fields_of(name, kind),
                 prefix="12", has_transfer_office=True,
                 supervising_department=row.get("parent", ""),
                 description=row.get("category", "") and f"{row['grade']} · {row['category']}")
    districts = {d.code: d for d in District.objects.all()}
    for kind, rows in catalogue.items():
        for name, name_en, district_code, codes in rows:
            _org(ctx, name=name, name_en=name_en, kind=kind,
                 district=districts.get(district_code), field_codes=codes, prefix="91",
                 has_transfer_office=kind == OrgKind.NEW_RD_INSTITUTION)


# username, display name (a person's name: the role and institution are shown beside it from
# the memberships, never baked into the name), role, scope (org name / district code / department)
DEMO_USERS = [
    ("municipal", "王建国", Role.MUNICIPAL_ADMIN, None),
    ("edu_officer", "李文华", Role.DEPARTMENT_OFFICER, Department.EDUCATION),
    ("health_officer", "赵敏", Role.DEPARTMENT_OFFICER, Department.HEALTH),
    ("haidian_officer", "陈立新", Role.DISTRICT_OFFICER, "110108"),
    ("tto_admin", "张晓东", Role.INSTITUTION_ADMIN, "清华大学"),
    ("manager", "刘洋", Role.MANAGER, "清华大学"),
    (Role.ENTERPRISE, "周志强", Role.ENTERPRISE, "北京智联感知科技有限公司"),
    ("provider", "吴倩", Role.SERVICE_PROVIDER, "北京慧知知识产权代理有限公司"),
    ("reviewer", "孙国栋", Role.REVIEWER, None),
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
