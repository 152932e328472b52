"""The title round demo leaves one application in every state, with notice periods that
agree with the official calendar and the steps' days."""

from tmhub.core.demo.base import DemoContext
from tmhub.evaluation import demo
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication
from tmhub.evaluation.tests.helpers import profile_of
from tmhub.evaluation.tests.permission_cases import _colleague
from tmhub.evaluation.working_days import working_days_between


def test_given_the_demo_then_every_state_has_an_application(personas):
    profile_of(personas.manager, personas.university)
    for index in range(len(demo.PLAN) - 1):
        profile_of(_colleague(personas, f"demo_applicant_{index}"), personas.university,
                   full_name=f"测试{index}")
    demo.seed(DemoContext(password="Demo-password-2026!"))
    states = set(TitleApplication.objects.values_list("status", flat=True))
    assert states == set(S.values)
    for application in TitleApplication.objects.exclude(employer_notice_start=None):
        count, _ = working_days_between(application.employer_notice_start,
                                        application.employer_notice_end)
        assert count == 5
    demo.seed(DemoContext(password="Demo-password-2026!"))  # idempotent
    assert TitleApplication.objects.count() == len(demo.PLAN)
