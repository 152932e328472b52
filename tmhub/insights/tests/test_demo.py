"""The oversight demo: example policies are marked as examples, reports go through the
services (one accepted, one awaiting review, one returned), and a second run adds nothing."""

import pytest

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.insights import demo
from tmhub.insights.choices import PolicyStatus, ReportStatus
from tmhub.insights.models import FollowUpAction, Meeting, SupportPolicy, TaskReport
from tmhub.insights.tests.helpers import seeded_plan

pytestmark = pytest.mark.django_db


def test_the_demo_marks_every_district_policy_as_an_example_and_files_reports():
    seeded_plan()
    for username, role, scope in [
            ("municipal", Role.MUNICIPAL_ADMIN, {}),
            ("haidian_officer", Role.DISTRICT_OFFICER,
             {"district": District.objects.get(code="110108")}),
            ("edu_officer", Role.DEPARTMENT_OFFICER, {"department": Department.EDUCATION}),
            ("health_officer", Role.DEPARTMENT_OFFICER, {"department": Department.HEALTH})]:
        user = create_user(actor=SYSTEM, username=username, password="x" * 16,
                           email=f"{username}@example.cn", display_name=username)
        grant_membership(actor=SYSTEM, user=user, role=role, **scope)
    demo.seed(None)
    demo.seed(None)
    examples = SupportPolicy.objects.filter(level="district")
    assert examples.count() == 3
    assert all(p.is_example and p.title.startswith("示例：") for p in examples)
    assert sorted(examples.values_list("status", flat=True)) == sorted(
        [PolicyStatus.PUBLISHED, PolicyStatus.PUBLISHED, PolicyStatus.DRAFT])
    assert all(p.published_by_id != p.drafted_by_id for p in examples if p.published_by_id)
    assert sorted(TaskReport.objects.values_list("status", flat=True)) == sorted(
        [ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED])
    assert Meeting.objects.count() == 1
    assert sorted(a.done_on is None for a in FollowUpAction.objects.all()) == [False, True]
