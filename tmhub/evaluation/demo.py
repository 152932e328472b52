"""Demo of the title round (issue 16 item 9): this year's round of the 技术经纪 titles with an
application in every state, run by an officer of the 市人社局 and reviewed by the employers'
administrators. Steps happen on their own days (core.demo.clock); each notice period is the
working days of the procedure rule from the day it started (China's holiday calendar).

And one published rating round of social evaluation (issue 17 item 9, `seed_ratings`): the
city's own versions of the two template systems, every registered demo manager and
institution rated on the records of the last twelve months, the demo reviewer's scores for
a few subjects."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department
from tmhub.core.demo import clock
from tmhub.core.roles import Role
from tmhub.evaluation import working_days
from tmhub.evaluation.choices import DEGREE_TO_EDUCATION, Education
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication, TitleDirection, TitleLevel, TitleRound
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.services import results
from tmhub.evaluation.services.titles import procedure_in_force

OFFICER = ("hrss_officer", "郑丽娟")
# The expert pool: the demo reviewer and six more experts (fictional people).
EXPERTS = [("reviewer", "孙国栋", "技术转移与知识产权运营"),
           ("title_expert1", "钱志远", "技术合同与成果评估"),
           ("title_expert2", "冯雅琴", "高校科技成果转化"),
           ("title_expert3", "褚建平", "医疗器械成果转化"),
           ("title_expert4", "卫丽华", "技术经纪与市场推广"),
           ("title_expert5", "蒋文博", "科技金融与股权投资"),
           ("title_expert6", "沈秋云", "标准化与专利分析")]
PANEL_SIZE = len(EXPERTS)
REVIEWERS_PER_APPLICATION = 3
# The state each demo application is left in, the main path's steps it took first.
PATH = [S.SUBMITTED, S.EMPLOYER_NOTICE, S.ENDORSED, S.PANEL_REVIEW, S.VOTE, S.RESULT_NOTICE,
        S.APPROVED]
PLAN = [S.DRAFT, S.SUBMITTED, S.EMPLOYER_NOTICE, S.ENDORSED, S.PANEL_REVIEW, S.VOTE,
        S.RESULT_NOTICE, S.APPROVED, S.NOT_APPROVED, S.RETURNED, S.WITHDRAWN, S.REVOKED]


def _officer(ctx):
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership

    username, name = OFFICER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = create_user(actor=SYSTEM, username=username, password=ctx.password,
                           email=f"{username}@tmhub.local", display_name=name)
        grant_membership(actor=SYSTEM, user=user, role=Role.DEPARTMENT_OFFICER,
                         department=Department.HUMAN_RESOURCES)
    ctx.users[username] = user
    return user


def _applicants(count):
    """Registered managers with an employer whose title is below 工程师 (the demo round
    reviews 工程师 applications), the demo manager (清华大学) first."""
    from tmhub.talent.choices import ProfessionalTitle
    from tmhub.talent.models import ManagerProfile

    rows = (ManagerProfile.objects.filter(
        employer__isnull=False, user__is_active=True,
        professional_title__in=["", ProfessionalTitle.NONE, ProfessionalTitle.ASSISTANT_ENGINEER])
        .select_related("employer", "user").order_by("id"))
    first = [p for p in rows.filter(user__username="manager")]
    rest = list(rows.exclude(user__username="manager")[:count])
    return (first + rest)[:count]


def _ensure_manager_role(profile):
    from tmhub.accounts.models import Membership
    from tmhub.accounts.services import grant_membership

    if not Membership.objects.filter(user=profile.user, role=Role.MANAGER,
                                     is_active=True).exists():
        grant_membership(actor=SYSTEM, user=profile.user, role=Role.MANAGER,
                         organization=profile.employer)


def _employer_admin(profile):
    from tmhub.accounts.models import User

    return User.objects.filter(memberships__role=Role.INSTITUTION_ADMIN,
                               memberships__organization=profile.employer,
                               memberships__is_active=True).exclude(
        pk=profile.user_id).first() or SYSTEM


def _set_notice(application, field, start, days):
    """The notice as it ran from `start` (the demo's past), on the official calendar."""
    period = working_days.period_of(start, days)
    TitleApplication.objects.filter(pk=application.pk).update(**{
        f"{field}_start": period.start, f"{field}_end": period.end,
        f"{field}_estimated": period.estimated})
    application.refresh_from_db()
    return period.end


def _experts(ctx, officer, avoid):
    """The pool, each expert working for an institution of the registry that employs none of
    the demo applicants (the conflict rule would refuse them otherwise)."""
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.choices import OrgKind
    from tmhub.evaluation.models import TitleExpert
    from tmhub.evaluation.services import panels
    from tmhub.orgs.models import Organization

    homes = list(Organization.objects.filter(kind__in=[OrgKind.UNIVERSITY,
                                                       OrgKind.RESEARCH_INSTITUTE])
                 .exclude(pk__in=avoid).order_by("id")[:len(EXPERTS)])
    if not homes:
        return []
    experts = []
    for index, (username, name, specialty) in enumerate(EXPERTS):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = create_user(actor=SYSTEM, username=username, password=ctx.password,
                               email=f"{username}@tmhub.local", display_name=name)
            grant_membership(actor=SYSTEM, user=user, role=Role.REVIEWER)
        ctx.users[username] = user
        expert = TitleExpert.objects.filter(user=user).first() or panels.add_expert(
            actor=officer, user=user, full_name=name, institution=homes[index % len(homes)],
            specialty=specialty)
        experts.append(expert)
    return experts


def _panels(officer, round_, level, experts):
    from tmhub.evaluation.services import panels

    for direction in TitleDirection.objects.all():
        panel = panels.create_panel(actor=officer, round=round_, level=level,
                                    direction=direction,
                                    name=f"{round_.year}年度技术经纪专业{level.name_zh}评审委员会"
                                         f"（{direction.name_zh}）")
        for index, expert in enumerate(experts):
            panels.add_member(panel, actor=officer, expert=expert, is_chair=index == 1)


def _review(application, officer, day, *, scored=REVIEWERS_PER_APPLICATION):
    """Three members review the application and `scored` of them have submitted their scores.
    Where some are still to score, the demo reviewer (孙国栋) is one of those, so their list of
    reviews has work waiting."""
    from tmhub.evaluation.services import panels

    criteria = panels.criteria_in_force()
    members = list(panels.panel_for(application).members.order_by("id"))
    others = [m for m in members if m.user.username != "reviewer"]
    if scored < REVIEWERS_PER_APPLICATION:
        waiting = [m for m in members if m.user.username == "reviewer"]
        chosen = others[:scored] + waiting + others[scored:]
    else:
        offset = application.pk % 3
        chosen = others[offset:] + others[:offset]
    for index, expert in enumerate(chosen[:REVIEWERS_PER_APPLICATION]):
        with clock.happened(day, application):
            assignment = panels.assign_reviewer(application, actor=officer, expert=expert)
        if index >= scored:
            continue
        with clock.happened(day + datetime.timedelta(days=2), application):
            panels.submit_scores(
                assignment, actor=expert.user, comment="材料完整，业绩突出。",
                scores={c.code: 70 + (application.pk * 7 + index * 5 + c.sort_order * 3) % 25
                        for c in criteria})


def seed(ctx) -> None:
    import time

    from tmhub.evaluation.demo_cases import seed_cases
    from tmhub.evaluation.demo_spotlight import seed_spotlight

    seed_cases(ctx)  # the case library (issue 17 item 9), idempotent on its own
    _seed_titles(ctx)
    started = time.monotonic()
    seed_ratings(ctx)
    ctx.log(f"social evaluation seeded in {time.monotonic() - started:.1f}s")
    seed_spotlight(ctx)  # picks from the published round seeded just above


RATING_ROUND = "技术经理人与机构社会化评价（演示）"
SCORED_SUBJECTS = 12  # subjects of each kind the demo reviewer scores (the rest: not scored)


def _city_version(city, code):
    """The city's published version of a template system (made once: a copy, published)."""
    from tmhub.evaluation.models import IndicatorSystem
    from tmhub.evaluation.services import indicators as systems

    own = IndicatorSystem.objects.filter(code=code, is_template=False, status="published")
    if own.exists():
        return own.order_by("-version").first()
    template = IndicatorSystem.objects.filter(code=code, version=1).first()
    if template is None:
        return None
    return systems.publish_system(systems.new_version(template, actor=city), actor=city)


def seed_ratings(ctx) -> None:
    """One published round over the demo's registered managers and institutions."""
    from tmhub.accounts.models import User
    from tmhub.evaluation.models import RatingReview, RatingRound
    from tmhub.evaluation.services import ratings

    if RatingRound.objects.filter(name=RATING_ROUND).exists():
        return
    city = ctx.users.get("municipal") or User.objects.filter(username="municipal").first()
    reviewer = ctx.users.get("reviewer") or User.objects.filter(username="reviewer").first()
    if city is None:
        return
    manager_system = _city_version(city, "manager-capability")
    institution_system = _city_version(city, "institution-tto")
    if manager_system is None or institution_system is None:
        return
    today = timezone.localdate()
    round_ = ratings.create_round(
        actor=city, name=RATING_ROUND, period_start=today - datetime.timedelta(days=365),
        period_end=today, manager_system=manager_system,
        institution_system=institution_system, objection_days=15)
    if reviewer is not None:
        for indicator in ratings.scored_indicators(round_):
            subjects = [sid for sid, _employer in ratings.round_subjects(
                round_, indicator.system.subject_kind)][:SCORED_SUBJECTS]
            ratings.assign_reviewer(round_, actor=city, indicator=indicator,
                                    reviewer=reviewer, subject_ids=subjects)
    round_ = ratings.step_round(round_, "open", actor=city)
    for index, review in enumerate(RatingReview.objects.filter(round=round_).order_by("id")):
        ratings.enter_score(review, actor=review.reviewer, score=65 + (index * 7) % 31,
                            comment="依据申报材料与平台记录评分。")
    # Computing queues the job after the commit (in-process without a broker); run it here
    # whatever the broker, so the demo is published when the seed ends.
    round_ = ratings.step_round(round_, "computing", actor=city)
    ratings.run_computation(round_.pk)
    round_.refresh_from_db()
    if round_.status == "computed":
        ratings.step_round(round_, "published", actor=city)
    ctx.log(f"rating round: {round_.ratings.count()} ratings published")


def _seed_titles(ctx) -> None:
    today = timezone.localdate()
    if TitleRound.objects.filter(year=today.year).exists():
        return
    rule = procedure_in_force(today)
    if rule is None:
        return
    officer = _officer(ctx)
    opens = datetime.date(today.year, 9, 1)
    round_ = services.open_round(actor=SYSTEM, year=today.year, opens_on=opens,
                                 closes_on=datetime.date(today.year, 12, 31))
    clock.backdate(round_, opens)
    engineer = TitleLevel.objects.get(code="engineer")
    assistant = TitleLevel.objects.get(code="assistant_engineer")
    directions = list(TitleDirection.objects.all())
    applicants = _applicants(len(PLAN))
    experts = _experts(ctx, officer, [p.employer_id for p in applicants])
    if len(experts) < PANEL_SIZE:
        return
    with clock.happened(opens):
        _panels(officer, round_, engineer, experts)
    for index, (target, profile) in enumerate(zip(PLAN, applicants, strict=False)):
        _ensure_manager_role(profile)
        applicant = profile.user
        employer = _employer_admin(profile)
        education = DEGREE_TO_EDUCATION.get(profile.degree, Education.BACHELOR)
        day = opens + datetime.timedelta(days=3 + index)
        with clock.happened(day):
            application = services.create_application(
                actor=applicant, round=round_, level=engineer,
                direction=directions[index % len(directions)], education=education,
                years_since_education=8,
                # as the profile records it: an assistant engineer for 4 years, or no title
                current_title=assistant if profile.professional_title == assistant.code
                else None,
                years_in_current_title=4 if profile.professional_title == assistant.code
                else 0,
                summary="从事高校科技成果转化服务工作，负责专利许可、转让合同的谈判与签订，"
                        "组织成果推介与技术需求对接。")
        clock.backdate(application, day)
        if target == S.DRAFT:
            continue
        stop = PATH.index(target) if target in PATH else None
        if target in (S.RETURNED, S.WITHDRAWN):
            stop = 0
        if target == S.NOT_APPROVED:
            stop = PATH.index(S.VOTE)
        if target == S.REVOKED:
            stop = PATH.index(S.APPROVED)
        for step in PATH[: stop + 1]:
            day = working_days.next_working_day(day + datetime.timedelta(days=1))[0]
            if step == S.VOTE:  # the panel reviews first, then the review is closed
                _review(application, officer, day)
                day = working_days.next_working_day(day + datetime.timedelta(days=3))[0]
            with clock.happened(day, application):
                if step == S.ENDORSED:
                    application = services.step_application(application, step,
                                                            actor=employer)
                elif step == S.RESULT_NOTICE:
                    application = services.record_vote(
                        application, actor=officer, panel_size=PANEL_SIZE,
                        members_present=PANEL_SIZE, votes_for=PANEL_SIZE - 1,
                        votes_against=1, votes_abstain=0)
                else:
                    actor = {S.SUBMITTED: applicant, S.EMPLOYER_NOTICE: employer}.get(
                        step, officer)
                    application = services.step_application(application, step, actor=actor)
            if step == S.EMPLOYER_NOTICE:
                day = _set_notice(application, "employer_notice", day,
                                  rule.employer_notice_working_days)
            if step == S.RESULT_NOTICE:
                end = _set_notice(application, "result_notice", day,
                                  rule.result_notice_working_days)
                if target == S.RESULT_NOTICE:
                    break
                day = end
        if target == S.PANEL_REVIEW:
            _review(application, officer, day, scored=1)
        if target == S.EMPLOYER_NOTICE:
            # Its notice is running now: it started this week.
            _set_notice(application, "employer_notice",
                        working_days.next_working_day(today - datetime.timedelta(days=2))[0],
                        rule.employer_notice_working_days)
        if target == S.RESULT_NOTICE:
            # Its notice is running now: it started this week.
            _set_notice(application, "result_notice",
                        working_days.next_working_day(today - datetime.timedelta(days=2))[0],
                        rule.result_notice_working_days)
        if target == S.NOT_APPROVED:
            day = working_days.next_working_day(day + datetime.timedelta(days=1))[0]
            with clock.happened(day, application):
                services.record_vote(application, actor=officer, panel_size=PANEL_SIZE,
                                     members_present=PANEL_SIZE, votes_for=4,
                                     votes_against=2, votes_abstain=1)
        if target == S.RETURNED:
            with clock.happened(day + datetime.timedelta(days=2), application):
                services.return_application(
                    application, actor=employer,
                    comments={"summary": "请补充近三年主要合同的金额与本人承担的角色。"},
                    reason="材料不完整")
        if target == S.WITHDRAWN:
            with clock.happened(day + datetime.timedelta(days=2), application):
                services.step_application(application, S.WITHDRAWN, actor=applicant,
                                          reason="本年度暂不申报")
        if target == S.REVOKED:
            # Approved, then revoked when a representative work proved falsified.
            day = min(working_days.next_working_day(day + datetime.timedelta(days=7))[0], today)
            with clock.happened(day, application):
                results.revoke_title(application, actor=officer,
                                     reason="获评后经核查，代表作中一份技术合同系伪造。")
    ctx.log(f"title round {today.year}: {TitleApplication.objects.count()} applications")
