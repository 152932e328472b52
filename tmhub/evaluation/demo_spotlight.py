"""Demo data of the spotlight and the talent-programme nominations (issue 17 item 9): the
best-rated manager of the latest published round in the spotlight (drafted, consented and
approved through the services), and one talent programme clearly labelled as demo data — the
plan names no real programme, so none is invented. Idempotent; nothing when no round is
published yet (the ratings demo publishes one first)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tmhub.core.actors import SYSTEM
from tmhub.evaluation.models import Rating, SpotlightEntry, TalentProgramme
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind
from tmhub.evaluation.services import nominations, spotlight
from tmhub.evaluation.spotlight_choices import SpotlightStatus

DEMO_PROGRAMME = "演示人才计划（演示数据，非真实计划）"


def seed_spotlight(ctx) -> None:
    today = timezone.localdate()
    if not TalentProgramme.objects.filter(name_zh=DEMO_PROGRAMME).exists():
        nominations.create_programme(
            actor=SYSTEM, name_zh=DEMO_PROGRAMME,
            name_en="Demo talent programme (demo data, not a real programme)",
            issuer="演示数据", year=today.year,
            description="演示用的人才计划，用于展示推荐流程；真实计划由市级或市人才工作局录入。",
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today + datetime.timedelta(days=60))
    best = (Rating.objects.filter(subject_kind=SubjectKind.MANAGER,
                                  round__status=RoundStatus.PUBLISHED)
            .select_related("round").order_by("-round__period_end", "-total", "id").first())
    if best is None or SpotlightEntry.objects.filter(rating=best).exists():
        return
    entry = spotlight.draft_entry(
        actor=SYSTEM, rating=best,
        citation_zh="（演示数据）在本轮评价中综合得分位居前列，长期服务科技成果转化。",
        citation_en="(Demo data) Among the best rated in this round; long service in "
                    "technology transfer.")
    spotlight.record_consent(entry, actor=SYSTEM, given_on=today,
                             note="演示数据：本人书面同意。")
    spotlight.step_entry(entry, SpotlightStatus.PENDING, actor=SYSTEM)
    spotlight.step_entry(entry, SpotlightStatus.PUBLISHED, actor=SYSTEM)
    ctx.log(f"spotlight: {entry.manager_name} ({best.round.name})")
