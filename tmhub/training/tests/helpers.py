"""Given-steps for training tests: everything made through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.training import services
from tmhub.training.choices import Level, Module, ProviderKind
from tmhub.training.models import Cohort

START = datetime.date(2025, 3, 3)
# One course per module, 48 class hours in all: exactly the junior rule's minimums plus 8
# hours of capability enhancement.
SYLLABUS = [
    ("G1", Module.GENERAL, "12"), ("P1", Module.POLICY, "8"), ("R1", Module.PRACTICE, "20"),
    ("A1", Module.ADVANCED, "8"),
]


def given_provider(personas, organization=None, name="测试大学技术转移学院"):
    return services.create_provider(
        actor=personas.municipal_admin, kind=ProviderKind.UNIVERSITY,
        organization=organization or personas.university, name_zh=name,
        name_en="Test University School of Technology Transfer",
    )


def given_programme(personas, provider, level=Level.JUNIOR, code="junior-2025"):
    return services.create_programme(
        actor=personas.municipal_admin, provider=provider, code=code,
        name_zh="初级技术经纪人培训", name_en="Junior technology broker training",
        level=level, is_published=True,
    )


def given_courses(personas, programme, syllabus=SYLLABUS):
    return [
        services.create_course(actor=personas.municipal_admin, programme=programme, code=code,
                               name_zh=f"课程{code}", module=module, hours=Decimal(hours))
        for code, module, hours in syllabus
    ]


def given_cohort(personas, programme, *, code="c-2025-1", capacity=30, open_it=True,
                 start=START):
    cohort = services.create_cohort(
        actor=personas.municipal_admin, programme=programme, code=code,
        title=f"{programme.name_zh}（{code}）", start_date=start,
        end_date=start + datetime.timedelta(days=30), capacity=capacity,
    )
    if open_it:
        cohort = services.transition_cohort(cohort, "open", actor=personas.municipal_admin)
    return cohort


def given_manager(personas, username, organization=None):
    user = create_user(actor=SYSTEM, username=username, password="x-pass-2025",
                       display_name=f"经理人{username}")
    grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER,
                     organization=organization or personas.university)
    return user


def given_enrolled(personas, cohort, trainee):
    enrolment = services.request_enrolment(cohort, actor=trainee)
    return services.approve_enrolment(enrolment, actor=personas.municipal_admin)


def given_sessions(personas, cohort, courses):
    return [
        services.add_session(cohort, actor=personas.municipal_admin, course=course,
                             date=cohort.start_date + datetime.timedelta(days=i))
        for i, course in enumerate(courses)
    ]


def given_running_cohort(personas, trainees=(), capacity=30, code="c-2025-1", level=Level.JUNIOR,
                         provider=None, start=START):
    """A junior cohort with the four syllabus courses, trainees enrolled, started."""
    provider = provider or given_provider(personas)
    programme = given_programme(personas, provider, level=level, code=f"p-{code}")
    courses = given_courses(personas, programme)
    cohort = given_cohort(personas, programme, code=code, capacity=capacity, start=start)
    enrolments = [given_enrolled(personas, cohort, t) for t in trainees]
    sessions = given_sessions(personas, cohort, courses)
    exam = services.add_assessment(cohort, actor=personas.municipal_admin, title="结业考试",
                                   max_score=Decimal("100"), pass_score=Decimal("60"))
    cohort = services.transition_cohort(cohort, "running", actor=personas.municipal_admin)
    return Cohort.objects.get(pk=cohort.pk), enrolments, sessions, exam


def attend_all(personas, sessions, enrolments, status="present"):
    for session in sessions:
        services.record_attendance(session, {e.pk: status for e in enrolments},
                                   actor=personas.municipal_admin)


def complete_cohort(personas, trainees, code, level=Level.JUNIOR, provider=None, fail=()):
    cohort, enrolments, sessions, exam = given_running_cohort(
        personas, trainees, code=code, level=level, provider=provider)
    attend_all(personas, sessions, enrolments)
    services.record_scores(exam, {e.pk: Decimal("40" if e.trainee in fail else "75")
                                  for e in enrolments}, actor=personas.municipal_admin)
    services.transition_cohort(cohort, "finished", actor=personas.municipal_admin)
    return enrolments


def revoke(personas, certificate, reason="错误", *, asker=None, approver=None):
    """Revoke through both steps, as four eyes need: the provider's administrator asks, the
    city approves."""
    revocation = services.request_revocation(
        certificate, actor=asker or personas.institution_admin, reason=reason)
    return services.decide_revocation(
        revocation, "approved", actor=approver or personas.municipal_admin)
