"""Demo institution registrations in every workflow state."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from tmhub.core.demo import clock
from tmhub.orgs import services
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.models import InstitutionRegistration, Organization

PLAN = [
    ("清华大学", [S.SUBMITTED, S.APPROVED]),
    ("北京大学", [S.SUBMITTED, S.APPROVED]),
    ("中国科学院计算技术研究所", [S.SUBMITTED, S.APPROVED]),
    ("北京中关村技术转移服务中心", [S.SUBMITTED, S.APPROVED]),
    ("中国医学科学院北京协和医院", [S.SUBMITTED]),
    ("北京航空航天大学", [S.SUBMITTED, S.RETURNED]),
    ("北京知科技术转移有限公司", []),
]


def seed(ctx):
    User = get_user_model()
    admin = User.objects.get(username="admin")
    # The city decides as a second person: who submitted does not approve (four eyes).
    city = User.objects.filter(username="municipal").first() or admin
    today = timezone.localdate()
    for n, (name, steps) in enumerate(PLAN):
        organization = Organization.objects.filter(name=name).first()
        if organization is None or organization.registrations.exists():
            continue
        # The decided ones filed in the plan's first year; those still waiting, this autumn.
        day = (datetime.date(2022, 6, 6) + datetime.timedelta(days=9 * n)
               if S.APPROVED in steps else today - datetime.timedelta(days=40 - 5 * n))
        with clock.happened(day):
            registration = _create(ctx, admin, organization)
        clock.backdate(registration, day)
        for target in steps:
            day += datetime.timedelta(days=2 if target == S.SUBMITTED else 12)
            with clock.happened(day, registration):
                services.transition_registration(
                    InstitutionRegistration.objects.get(pk=registration.pk),
                    target,
                    actor=admin if target == S.SUBMITTED else city,
                    reason="材料需补充全职人员社保证明" if target == S.RETURNED else "",
                )


def _create(ctx, admin, organization):
    return services.create_registration(
        actor=admin, organization=organization,
        premises_address=organization.address
        or f"北京市{organization.district or ''}{organization.name}技术转移中心",
        premises_area=320, fulltime_staff=ctx.rng.randint(4, 30), has_written_rules=True,
        rules_summary="《科技成果转化管理办法》《技术转移中心工作规程》",
        business_scope="技术转移、成果评价、知识产权运营、技术交易撮合",
    )
