"""Demo talent pool: the demo `manager` registered, ~150 more in every workflow state.

Names come from common surnames and given-name characters; resident IDs carry valid GB 11643
check digits. Idempotent: people that exist already are skipped.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from stdnum.cn import ric

from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.core.demo import clock
from tmhub.core.models import Discipline, District, IndustryField
from tmhub.orgs.models import Organization
from tmhub.talent import filing, services
from tmhub.talent import registration as reg
from tmhub.talent.choices import (
    Degree,
    EmploymentType,
    EntryRoute,
    ProfessionalTitle,
    TrainingLevel,
)
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import Competence, ManagerProfile

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧"
            "田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉"
         "宇浩凯健俊帆帅旭宁琳晨欣怡博文思远志诚嘉瑞佳雨")
SCHOOLS = ["清华大学", "北京大学", "北京航空航天大学", "北京理工大学", "中国人民大学",
           "北京师范大学", "北京科技大学", "北京化工大学", "北京邮电大学", "中国农业大学",
           "北京交通大学", "首都医科大学"]
MAJORS = ["计算机科学与技术", "电子信息工程", "生物医学工程", "材料科学与工程", "机械工程", "药学",
          "知识产权", "法学", "金融学", "工商管理", "化学工程", "临床医学"]
BIO_TEMPLATES = [
    "长期从事{field}领域科技成果转化，擅长{comp}，累计促成技术合同{n}项。",
    "{field}方向技术经理人，具有{comp}经验，服务高校院所与企业的技术对接{n}次。",
    "专注{field}成果的概念验证与孵化，熟悉{comp}，参与组建科技型企业{n}家。",
]
STATE_PLAN = ([S.REGISTERED] * 105 + [S.DRAFT] * 8 + [S.SUBMITTED] * 8 + [S.ENDORSED] * 8
              + [S.UNDER_REVIEW] * 6 + [S.RETURNED] * 5 + [S.REJECTED] * 4 + [S.SUSPENDED] * 4
              + [S.REVOKED] * 2)
EMPLOYER_KINDS = (OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE, OrgKind.MEDICAL,
                  OrgKind.TRANSFER_AGENCY, OrgKind.ENTERPRISE, OrgKind.NEW_RD_INSTITUTION)


# Birthplace codes (an ID's area is where the person was born, not where they work).
BIRTHPLACES = ["110101", "110102", "110105", "110106", "110108", "110100", "120101", "130102",
               "310101", "320102", "330106", "370102", "410102", "420106", "430102", "510107",
               "610103", "210102", "220102", "350102"]


def demo_resident_id(rng, district_code: str = "") -> str:
    """A GB 11643 number with a valid check digit; half are born in the work district."""
    while True:
        area = district_code if district_code.isdigit() and rng.random() < 0.5 else (
            rng.choice(BIRTHPLACES))
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 35))
        body = f"{area}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder digit
        if ric.is_valid(number):  # stdnum's area table lacks some newer district codes
            return number


def _walk(registration, target, *, manager_user, endorser, city, start, rng):
    """Drive a registration along the legal path to `target`, a step every few days from
    `start` (a suspension or revocation comes a year or two after the registration)."""
    steps = {
        S.DRAFT: [],
        S.SUBMITTED: [(S.SUBMITTED, manager_user)],
        S.ENDORSED: [(S.SUBMITTED, manager_user), (S.ENDORSED, endorser)],
        S.UNDER_REVIEW: [(S.SUBMITTED, manager_user), (S.ENDORSED, endorser),
                         (S.UNDER_REVIEW, city)],
    }
    review = steps[S.UNDER_REVIEW]
    steps[S.REGISTERED] = review + [(S.REGISTERED, city)]
    steps[S.RETURNED] = review + [(S.RETURNED, city)]
    steps[S.REJECTED] = review + [(S.REJECTED, city)]
    steps[S.SUSPENDED] = steps[S.REGISTERED] + [(S.SUSPENDED, city)]
    steps[S.REVOKED] = steps[S.REGISTERED] + [(S.REVOKED, city)]
    reasons = {S.RETURNED: "请补充近三年代表性转化项目及证明材料",
               S.REJECTED: "从业经历不满足入库条件", S.SUSPENDED: "未按期提交年度备案",
               S.REVOKED: "本人申请退出人才库"}
    day = start
    for state, actor in steps[target]:
        later = state in (S.SUSPENDED, S.REVOKED)
        day += datetime.timedelta(days=rng.randint(400, 900) if later else rng.randint(3, 6))
        comments = {"bio": "请补充代表性项目"} if state == S.RETURNED else None
        with clock.happened(day, registration):
            registration = reg.transition_registration(
                registration, state, actor=actor, reason=reasons.get(state, ""),
                field_comments=comments)
    return registration


def _begun(rng, target):
    """When a person applied: those in the pool (or once in it) in the plan's first weeks,
    before the first training cohort of May 2022; pending applications in recent weeks."""
    if target in (S.REGISTERED, S.SUSPENDED, S.REVOKED, S.REJECTED):
        return datetime.date(2022, 2, 14) + datetime.timedelta(days=rng.randint(0, 20))
    return timezone.localdate() - datetime.timedelta(days=rng.randint(20, 90))


def _profile_values(ctx, *, name, employer, district, fields, competences):
    rng = ctx.rng
    comp_names = "、".join(c.name_zh for c in competences)
    bio = rng.choice(BIO_TEMPLATES).format(field=fields[0].name_zh, comp=comp_names,
                                           n=rng.randint(2, 30))
    # The level is not typed in: it follows the certificates the training demo issues. One
    # profile in ten carries an older, unverified claim (shown to the manager and the city).
    level = rng.choices(list(TrainingLevel.values), [5, 3, 2])[0] if rng.random() < 0.1 else ""
    return {
        "full_name": name, "employer": employer, "work_district": district,
        "employment_type": rng.choices(list(EmploymentType.values), [3, 1])[0],
        "entry_route": rng.choices(list(EntryRoute.values), [4, 2, 5])[0],
        "claimed_training_level": level,
        "professional_title": rng.choice(list(ProfessionalTitle.values)),
        "degree": rng.choices([Degree.BACHELOR, Degree.MASTER, Degree.DOCTOR], [3, 5, 3])[0],
        "school": rng.choice(SCHOOLS), "major": rng.choice(MAJORS),
        "languages": rng.choice(["中文", "中文, 英语", "中文, 英语, 日语", "中文, 德语"]),
        "years_experience": rng.randint(0, 20), "bio": bio,
        "phone": f"138{rng.randint(10000000, 99999999)}",
        "position": rng.choice(["技术转移专员", "成果转化办公室主任", "项目经理", "知识产权主管",
                                "投资经理", "技术经理人"]),
    }


def seed(ctx) -> None:
    User = get_user_model()
    admin = User.objects.get(username="admin")
    city = ctx.users.get("municipal") or User.objects.get(username="municipal")
    tto_admin = ctx.users.get("tto_admin") or User.objects.filter(username="tto_admin").first()
    all_fields = list(IndustryField.objects.all())
    priority = [f for f in all_fields if f.is_priority]
    competences = list(Competence.objects.all())
    disciplines = list(Discipline.objects.filter(level=1)[:30])
    districts = {d.code: d for d in District.objects.all()}
    employers = list(Organization.objects.filter(kind__in=EMPLOYER_KINDS, district__isnull=False)
                     .order_by("id")[:60])
    rng = ctx.rng

    # The demo manager at 清华大学, registered and listed.
    manager = User.objects.filter(username="manager").first()
    if manager is not None and not ManagerProfile.objects.filter(user=manager).exists():
        tsinghua = Organization.objects.filter(name="清华大学").first()
        haidian = districts.get("110108")
        begun = datetime.date(2022, 2, 14)
        with clock.happened(begun):
            profile = services.create_profile(
                actor=manager, user=manager, id_number=demo_resident_id(rng, "110108"),
                email=manager.email, discipline=disciplines[0] if disciplines else None,
                fields=priority[:2], competences=competences[:4],
                **{**_profile_values(ctx, name="刘洋", employer=tsinghua, district=haidian,
                                     fields=priority[:2], competences=competences[:4]),
                   # the title demo has 刘洋 apply for 工程师: an assistant engineer now
                   "professional_title": ProfessionalTitle.ASSISTANT_ENGINEER},
            )
            registration = reg.start_registration(actor=manager, profile=profile,
                                                  statement="申请进入北京市技术经理人人才库。")
        for row in (manager, profile, registration):
            clock.backdate(row, begun)
        _walk(registration, S.REGISTERED, manager_user=manager,
              endorser=tto_admin or admin, city=city, start=begun, rng=rng)

    if not employers:
        return
    for index, target in enumerate(STATE_PLAN):
        username = f"tm{index + 1:04d}"
        if User.objects.filter(username=username).exists():
            continue
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        employer = rng.choice(employers)
        district = employer.district or districts["110108"]
        begun = _begun(rng, target)
        with clock.happened(begun):
            # Password hashing dominates seeding time: only the first ten can sign in.
            user = create_user(actor=SYSTEM, username=username,
                               password=ctx.password if index < 10 else None,
                               email=f"{username}@tmhub.local", display_name=name)
            fields = rng.sample(priority, 1) + rng.sample(all_fields, rng.randint(0, 2))
            fields = list({f.pk: f for f in fields}.values())
            chosen = rng.sample(competences, rng.randint(1, 4))
            profile = services.create_profile(
                actor=user, user=user, id_number=demo_resident_id(rng, district.code),
                discipline=rng.choice(disciplines) if disciplines else None,
                email=user.email, fields=fields, competences=chosen,
                **_profile_values(ctx, name=name, employer=employer, district=district,
                                  fields=fields, competences=chosen),
            )
            registration = reg.start_registration(actor=user, profile=profile)
        for row in (user, profile, registration):
            clock.backdate(row, begun)
        endorser = tto_admin if (tto_admin and employer.name == "清华大学") else admin
        _walk(registration, target, manager_user=user, endorser=endorser, city=city,
              start=begun, rng=rng)

    # Last year's annual filing, opened for everyone registered. Left open: the training and
    # transfer demos record the year's work after this seeder runs, and an open filing shows
    # the figures the records give when it is read (filing.current_prefill).
    filing.open_filings(timezone.localdate().year - 1, actor=city)
