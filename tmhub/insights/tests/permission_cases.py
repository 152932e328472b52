"""Permission cases of every insights page and endpoint, every method, every persona.

The joint conference's members (the city, the department officers, the district officers)
read the plans; a department files on the tasks it is named on; the lead (市科委, through the
municipal administrators) reviews. Posts here are empty forms (refused, nothing changes) except
the submission, made on a report of its own.
"""

import datetime

from tmhub.core.actors import SYSTEM
from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.insights import services
from tmhub.insights.choices import PlanDepartment, PolicyLevel, TaskKind
from tmhub.insights.models import (
    AgendaItem,
    FollowUpAction,
    Meeting,
    Plan,
    SupportPolicy,
    TaskReport,
)
from tmhub.insights.tests.helpers import seeded_plan

MEMBERS = {"municipal_admin", "department_officer", "health_officer", "district_officer"}
CITY = {"municipal_admin"}


def _report(personas, who, department, quarter_end):
    plan = seeded_plan()
    task = plan.tasks.get(kind=TaskKind.KEY_TASK, number=1)
    return services.file_report(
        actor=getattr(personas, who), task=task, department=department,
        period_start=quarter_end.replace(day=1, month=quarter_end.month - 2),
        period_end=quarter_end, narrative="进展")


def _policy(personas, publish=False):
    policy = services.create_policy(
        actor=SYSTEM, title="示例：海淀区技术经理人支持办法", issuer="示例",
        issued_on=datetime.date(2024, 5, 6), level=PolicyLevel.DISTRICT,
        district=personas.haidian, summary="示例", full_text="示例", is_example=True)
    return services.publish_policy(actor=SYSTEM, policy=policy) if publish else policy


def policy_cases(personas):
    """The library is public; a Haidian draft is the city's and the Haidian officer's, and
    either publishes it (SYSTEM drafted it); a published one either withdraws (with a reason:
    the empty post is refused)."""
    draft, public = _policy(personas), _policy(personas, publish=True)
    editors = {"municipal_admin", "district_officer"}
    return [
        Case("insights:policy-list", ok=EVERYONE),
        Case("insights:policy-district", (personas.haidian.code,), ok=EVERYONE),
        Case("insights:policy-detail", (public,), ok=EVERYONE),
        Case("insights:policy-detail", (draft,), ok=editors),
        login_required_page("insights:policy-create", ok=editors),
        login_required_page("insights:policy-create", ok=editors, method="post", data={},
                            target=SupportPolicy, changes=False),
        login_required_page("insights:policy-edit", (draft,), ok=editors),
        login_required_page("insights:policy-edit", (draft,), ok=editors, method="post",
                            data={}, changes=False),
        login_required_page("insights:policy-withdraw", (public,), ok=editors, method="post",
                            data={}, ok_status=400),
        api("insights-policy-list", ok=EVERYONE),
        api("insights-policy-detail", (public,), ok=EVERYONE),
        api("insights-policy-detail", (draft,), ok=editors),
        # Last: the city publishes the draft (the Haidian officer, asked after, finds it
        # published; test_policies shows the officer publishing a draft of the city's).
        login_required_page("insights:policy-publish", (draft,), ok={"municipal_admin"},
                            method="post", ok_status=302),
    ]


def conference_cases(personas, plan):
    """The conference's pages are its members'; the city keeps the meetings; the owning
    department (市教委, the education officer) or the city records an action done."""
    meeting = services.create_meeting(actor=SYSTEM, plan=plan,
                                      held_on=datetime.date(2026, 11, 20), title="联席会会议",
                                      departments=[PlanDepartment.SCIENCE])
    action = services.add_action(actor=SYSTEM, meeting=meeting, text="报送",
                                 owner=PlanDepartment.EDUCATION,
                                 due_on=datetime.date(2026, 12, 31))
    completers = {"municipal_admin", "department_officer"}
    return [
        login_required_page("insights:conference", (plan,), ok=MEMBERS),
        login_required_page("insights:meeting-create", (plan,), ok=CITY),
        login_required_page("insights:meeting-create", (plan,), ok=CITY, method="post",
                            data={}, target=Meeting, changes=False),
        login_required_page("insights:meeting-detail", (meeting,), ok=MEMBERS),
        login_required_page("insights:agenda-add", (meeting,), ok=CITY, method="post",
                            data={}, ok_status=400, target=AgendaItem),
        login_required_page("insights:action-add", (meeting,), ok=CITY, method="post",
                            data={}, ok_status=400, target=FollowUpAction),
        login_required_page("insights:action-complete", (action,), ok=completers,
                            method="post", data={}, ok_status=400),
        api("insights-meeting-list", ok=SIGNED_IN, anon_status=401),
        api("insights-meeting-detail", (meeting,), ok=MEMBERS, anon_status=401),
    ]


def cases(personas):
    plan = seeded_plan()
    task = plan.tasks.get(kind=TaskKind.KEY_TASK, number=1)
    draft = _report(personas, "department_officer", PlanDepartment.EDUCATION,
                    datetime.date(2025, 3, 31))
    to_submit = _report(personas, "department_officer", PlanDepartment.EDUCATION,
                        datetime.date(2025, 6, 30))
    submitted = services.submit_report(actor=personas.health_officer, report=_report(
        personas, "health_officer", PlanDepartment.HEALTH, datetime.date(2025, 3, 31)))
    filers = {"municipal_admin", "department_officer", "health_officer"}
    return [
        login_required_page("insights:home", ok=MEMBERS),
        login_required_page("insights:plan-create", ok=CITY),
        login_required_page("insights:plan-create", ok=CITY, method="post", data={},
                            target=Plan, changes=False),
        login_required_page("insights:plan-detail", (plan,), ok=MEMBERS),
        login_required_page("insights:target-create", (plan,), ok=CITY),
        login_required_page("insights:target-create", (plan,), ok=CITY, method="post", data={},
                            changes=False),
        login_required_page("insights:task-detail", (task,), ok=MEMBERS),
        login_required_page("insights:report-create", (task,), ok=filers),
        login_required_page("insights:report-create", (task,), ok=filers, method="post",
                            data={}, target=TaskReport, changes=False),
        login_required_page("insights:report-detail", (draft,), ok={"municipal_admin",
                                                                    "department_officer"}),
        login_required_page("insights:report-edit", (draft,), ok={"department_officer"}),
        login_required_page("insights:report-edit", (draft,), ok={"department_officer"},
                            method="post", data={}, changes=False),
        login_required_page("insights:report-submit", (to_submit,), ok={"department_officer"},
                            method="post", ok_status=302),
        login_required_page("insights:report-review", (submitted,), ok=CITY, method="post",
                            data={}, ok_status=400),
        api("insights-plan-list", ok=SIGNED_IN, anon_status=401),
        api("insights-plan-detail", (plan,), ok=MEMBERS, anon_status=401),
        api("insights-task-report-list", ok=SIGNED_IN, anon_status=401),
        api("insights-task-report-detail", (submitted,), ok={"municipal_admin", "health_officer"},
            anon_status=401),
        login_required_page("insights:dashboard", (plan,), ok=MEMBERS),
        login_required_page("insights:dashboard-export", (plan, "districts"), ok=MEMBERS),
        login_required_page("insights:dashboard-drill", (plan, "districts"), ok=MEMBERS),
        login_required_page("insights:annual-report", ok=MEMBERS),
        login_required_page("insights:annual-xlsx", ok=MEMBERS),
        login_required_page("insights:annual-pdf", ok=MEMBERS),
        api("insights-annual-report", ok=MEMBERS, anon_status=401),
        *conference_cases(personas, plan),
        *policy_cases(personas),
    ]
