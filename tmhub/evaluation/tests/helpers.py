"""Records for the title application tests, made through the services as a person would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from conftest import PASSWORD  # noqa: E402  (the personas' password)
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department
from tmhub.core.roles import Role
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication, TitleDirection, TitleLevel, TitleRound
from tmhub.evaluation.services import applications as services
from tmhub.talent.models import ManagerProfile
from tmhub.talent.services import create_profile


def bureau_officer(username="p_hrss"):
    """An officer of the 市人社局 (department officer, department human_resources)."""
    from tmhub.accounts.models import User

    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    user = create_user(actor=SYSTEM, username=username, password=PASSWORD,
                       email=f"{username}@example.cn", display_name=username)
    grant_membership(actor=SYSTEM, user=user, role=Role.DEPARTMENT_OFFICER,
                     department=Department.HUMAN_RESOURCES)
    return user


def profile_of(user, employer, **values) -> ManagerProfile:
    existing = ManagerProfile.objects.filter(user=user).first()
    if existing:
        return existing
    return create_profile(actor=SYSTEM, user=user, full_name=values.pop("full_name", "王测试"),
                          employer=employer, degree="bachelor", **values)


def open_round(year=None) -> TitleRound:
    today = timezone.localdate()
    year = year or today.year
    found = TitleRound.objects.filter(year=year).first()
    if found:
        return found
    return services.open_round(actor=SYSTEM, year=year,
                               opens_on=today - datetime.timedelta(days=30),
                               closes_on=today + datetime.timedelta(days=30))


def draft(user, employer, *, level="engineer", direction="operation", education="bachelor",
          years=6, summary="负责学校专利转让与许可合同的谈判与签订。") -> TitleApplication:
    profile_of(user, employer)
    return services.create_application(
        actor=user, round=open_round(), level=TitleLevel.objects.get(code=level),
        direction=TitleDirection.objects.get(code=direction), education=education,
        years_since_education=years, current_title=None, years_in_current_title=0,
        summary=summary)


def expert(officer, username, institution, full_name=None):
    """A reviewer of the pool (a user with the reviewer role, added by the bureau)."""
    from tmhub.evaluation.models import TitleExpert
    from tmhub.evaluation.services import panels

    found = TitleExpert.objects.filter(user__username=username).first()
    if found:
        return found
    user = create_user(actor=SYSTEM, username=username, password=PASSWORD,
                       email=f"{username}@example.cn", display_name=username)
    grant_membership(actor=SYSTEM, user=user, role=Role.REVIEWER)
    return panels.add_expert(actor=officer, user=user, full_name=full_name or username,
                             institution=institution)


def panel_of(application, officer, size=9):
    """The panel of the application's round, level and direction (made with `size` experts of
    an institution other than the applicant's)."""
    from tmhub.evaluation.services import panels
    from tmhub.orgs.models import Organization

    panel = panels.panel_for(application)
    if panel is not None:
        return panel
    panel = panels.create_panel(actor=officer, round=application.round,
                                level=application.level, direction=application.direction,
                                name=f"{application.level.name_zh}评审委员会")
    elsewhere = Organization.objects.exclude(pk=application.institution_id).order_by("pk")[0]
    for number in range(size):
        panels.add_member(panel, actor=officer, is_chair=number == 0,
                          expert=expert(officer, f"p_expert{number}", elsewhere,
                                        f"专家{number}"))
    return panel


def review(application, officer, *, reviewers=2, scores=80):
    """Assign `reviewers` members of the panel and have each submit `scores` on every
    criterion."""
    from tmhub.evaluation.services import panels

    panel = panel_of(application, officer)
    criteria = panels.criteria_in_force()
    for membership in list(panel.memberships.all())[:reviewers]:
        assignment = application.assignments.filter(expert=membership.expert).first() or \
            panels.assign_reviewer(application, actor=officer, expert=membership.expert)
        panels.submit_scores(assignment, actor=membership.expert.user,
                             scores={c.code: scores for c in criteria})


def _end_notice(application, field):
    """Make the notice period lie in the past (time passing; not a change of any step)."""
    past = timezone.localdate() - datetime.timedelta(days=1)
    TitleApplication.objects.filter(pk=application.pk).update(
        **{f"{field}_start": past - datetime.timedelta(days=7), f"{field}_end": past})
    application.refresh_from_db()


def advance(application, to: str, *, applicant, employer_admin, officer) -> TitleApplication:
    """Walk an application forward along the main path until it stands in `to`."""
    order = [S.DRAFT, S.SUBMITTED, S.EMPLOYER_NOTICE, S.ENDORSED, S.PANEL_REVIEW, S.VOTE,
             S.RESULT_NOTICE, S.APPROVED]
    application.refresh_from_db()
    while application.status != to:
        status = application.status
        if status == S.DRAFT:
            application = services.step_application(application, S.SUBMITTED, actor=applicant)
        elif status == S.SUBMITTED:
            application = services.step_application(application, S.EMPLOYER_NOTICE,
                                                     actor=employer_admin)
        elif status == S.EMPLOYER_NOTICE:
            _end_notice(application, "employer_notice")
            application = services.step_application(application, S.ENDORSED,
                                                     actor=employer_admin)
        elif status == S.ENDORSED:
            application = services.step_application(application, S.PANEL_REVIEW,
                                                     actor=officer)
        elif status == S.PANEL_REVIEW:
            review(application, officer)
            application = services.step_application(application, S.VOTE, actor=officer)
        elif status == S.VOTE:
            application = services.record_vote(application, actor=officer, panel_size=9,
                                               members_present=7, votes_for=6,
                                               votes_against=1, votes_abstain=0)
        elif status == S.RESULT_NOTICE:
            _end_notice(application, "result_notice")
            application = services.step_application(application, S.APPROVED, actor=officer)
        else:
            raise AssertionError(f"cannot advance from {status}")
        assert order.index(application.status) > order.index(status)
    return application
