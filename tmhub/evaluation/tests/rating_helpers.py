"""Records for the social-evaluation tests (issue 17), made through the services."""

from __future__ import annotations

import datetime

from tmhub.evaluation.models import IndicatorSystem
from tmhub.evaluation.rating_choices import IndicatorKind
from tmhub.evaluation.services import indicators as systems
from tmhub.evaluation.services import ratings

START = datetime.date(2026, 1, 1)
CUTOFF = datetime.date(2026, 11, 30)
LEVELS = [{"code": "junior", "name_zh": "初级", "name_en": "Junior", "min": "60"},
          {"code": "intermediate", "name_zh": "中级", "name_en": "Intermediate", "min": "75"},
          {"code": "senior", "name_zh": "高级", "name_en": "Senior", "min": "90"}]


def template(kind="manager") -> IndicatorSystem:
    code = "manager-capability" if kind == "manager" else "institution-tto"
    return IndicatorSystem.objects.get(code=code, version=1)


def small_system(city, code="test-system", publish=True) -> IndicatorSystem:
    """Two dimensions: 业绩 60 (deals 50 by thresholds, contract value 50 linear up to 1万元)
    and 评议 40 (one scored indicator)."""
    system = systems.create_system(actor=city, code=code, name_zh="测试指标体系",
                                   name_en="Test system", subject_kind="manager",
                                   levels=LEVELS, basis="测试。")
    results = systems.add_indicator(system, actor=city, code="results", name_zh="业绩",
                                    kind=IndicatorKind.DIMENSION, weight=60, order=1)
    systems.add_indicator(system, actor=city, parent=results, code="deals", name_zh="成交项目",
                          kind=IndicatorKind.COMPUTED, weight=50, order=1,
                          metric_key="transfer_deals",
                          curve={"kind": "thresholds", "steps": [["1", "60"], ["2", "100"]]})
    systems.add_indicator(system, actor=city, parent=results, code="value",
                          name_zh="合同金额", kind=IndicatorKind.COMPUTED, weight=50, order=2,
                          metric_key="transfer_contract_value_fen",
                          curve={"kind": "linear", "zero": "0", "full": "10000"})
    review = systems.add_indicator(system, actor=city, code="review", name_zh="评议",
                                   kind=IndicatorKind.DIMENSION, weight=40, order=2)
    systems.add_indicator(system, actor=city, parent=review, code="expert",
                          name_zh="专家评分", kind=IndicatorKind.SCORED, weight=100, order=1)
    if publish:
        system = systems.publish_system(system, actor=city)
    return system


def registered_manager(personas, user=None, *, on=datetime.date(2026, 1, 10)):
    """`user` (the manager persona by default) registered in the talent registry, dated `on`
    (registrations are dated when approved; the test puts it back before the cut-off)."""
    from tmhub.talent.models import ManagerProfile
    from tmhub.talent.tests.helpers import make_profile, register

    user = user or personas.manager
    profile = ManagerProfile.objects.filter(user=user).first() or make_profile(
        user, employer=personas.university, district=personas.haidian)
    profile.refresh_from_db()
    listed = {}
    if not profile.is_listed:  # another app's cases may have registered them already
        from django.core.exceptions import ValidationError

        try:
            register(profile, employer_admin=personas.institution_admin,
                     municipal=personas.municipal_admin)
        except ValidationError:
            # A bare profile another case made (the title cases' applicant) cannot walk the
            # registration; what the ratings read is only that it is listed, and since when.
            listed = {"is_listed": True}
    ManagerProfile.objects.filter(pk=profile.pk).update(
        registered_at=datetime.datetime.combine(on, datetime.time(10),
                                                tzinfo=datetime.UTC), **listed)
    return user


def computed_round(city, system, *, capture, name="2026年度评价", start=START, end=CUTOFF):
    round_ = ratings.create_round(actor=city, name=name, period_start=start, period_end=end,
                                  manager_system=system)
    round_ = ratings.step_round(round_, "open", actor=city)
    return compute(round_, city, capture=capture)


def compute(round_, city, *, capture):
    with capture(execute=True):
        ratings.step_round(round_, "computing", actor=city)
    round_.refresh_from_db()
    return round_
