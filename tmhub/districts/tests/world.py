"""Records of the districts app made through the services, for the tests."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tmhub.core.actors import SYSTEM
from tmhub.districts import services
from tmhub.districts.choices import LandingKind, ParticipantKind

# Valid GB 32100 codes (check digit right) for companies founded in the tests.
GOOD_CREDIT_CODE = "91110108MA01A2B3C9"


def valid_credit_code() -> str:
    from stdnum.cn import uscc

    body = "91110108MA01A2B3C"
    return body + uscc.calc_check_digit(body)


@dataclass
class World:
    agreement: object
    draft_post: object
    open_post: object
    application: object
    coming_event: object
    past_event: object
    registration: object
    landing: object
    other_landing: object
    other_draft_post: object


def make_world(personas) -> World:
    today = timezone.localdate()
    officer = personas.district_officer
    agreement = services.create_agreement(
        actor=officer, district=personas.haidian, institution=personas.university,
        district_contact="海淀区科委 王老师", institution_contact="技术转移办公室 李老师",
        scope="成果发布、需求对接、专员派驻", starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=500))
    draft = services.create_post(actor=officer, district=personas.haidian,
                                 title="科技成果转化专员", park="中关村软件园",
                                 time_basis="part_time")
    open_post = services.create_post(actor=officer, district=personas.haidian,
                                     title="科技成果转化专员", park="中关村生命科学园",
                                     time_basis="full_time")
    open_post = services.publish_vacancy(open_post, actor=officer)
    application = services.apply_for_post(open_post, actor=personas.manager,
                                          statement="十年高校技术转移经验")
    coming = services.create_event(actor=officer, district=personas.haidian,
                                   title="人工智能成果对接会", organiser="海淀区科委",
                                   held_on=today + datetime.timedelta(days=20),
                                   place="中关村国家自主创新示范区展示中心", capacity=50)
    past = services.create_event(actor=SYSTEM, district=personas.haidian, title="生物医药路演",
                                 organiser="海淀区科委", held_on=today - datetime.timedelta(days=1),
                                 online=True, capacity=2)
    registration = services.register_for_event(coming, actor=personas.enterprise,
                                               participant_kind=ParticipantKind.ENTERPRISE,
                                               organization=personas.company)
    landing = services.record_landing(
        actor=officer, district=personas.haidian, kind=LandingKind.COMPANY,
        title="测试大学成果转化公司设立", occurred_on=today - datetime.timedelta(days=10),
        company_name="北京测试智能科技有限公司", credit_code=valid_credit_code(),
        managers=[personas.manager], event=past)
    other = services.record_landing(
        actor=personas.municipal_admin, district=personas.chaoyang, kind=LandingKind.INVESTMENT,
        title="朝阳区天使投资", occurred_on=today - datetime.timedelta(days=5),
        financing=approved_round(personas, district=personas.chaoyang, amount_fen=500_000_00,
                                 investor_name="某投资基金",
                                 financed_on=today - datetime.timedelta(days=5)))
    other_draft = services.create_post(actor=personas.municipal_admin,
                                       district=personas.chaoyang, title="转化专员",
                                       park="电子城科技园")
    return World(agreement, draft, open_post, application, coming, past, registration, landing,
                 other, other_draft)


def approved_round(personas, **values):
    """A financing round of the network's records (a project of 测试大学), approved by a
    second person: what an investment landing links to."""
    from tmhub.network.tests.helpers import given_financing, given_project

    return given_financing(personas, project=given_project(personas, title="融资项目"), **values)
