"""Demo data of the oversight module, consistent with the demo city.

The policy library holds one real policy, the plan 京科发〔2022〕14号 (seeded by migration 0004
from its text). No district policy is on file, so the district rows here are examples, titled
「示例：」 and flagged `is_example` (their pages say they are not real policies): Haidian's officer
drafts one and the city publishes it, the city drafts another that Haidian's officer publishes,
and a Chaoyang draft waits for a second person. Progress reports on the plan's first key task
from the education and health officers cover 2025's last quarters (the plan ended 2025-12-31):
one accepted by the lead (市科委, the municipal administrator), one awaiting review, one
returned; a conference meeting after the plan closed, with one action done and one open past
its due day. Everything goes through the services, audited.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from tmhub.core.models import District
from tmhub.insights import services
from tmhub.insights.choices import PlanDepartment, PolicyLevel, TaskKind
from tmhub.insights.models import Plan, SupportPolicy, TaskReport
from tmhub.insights.plan_data import PLAN
from tmhub.transfer.choices import RuleLevel
from tmhub.transfer.models import RewardRule

EXAMPLES = [
    # district, title, summary, drafted by, published by (None: left a draft)
    ("110108", "示例：海淀区技术经理人奖励支持办法",
     "示例条目（非真实政策）：对促成本区企业承接高校院所成果转化的技术经理人，按技术合同成交额"
     "给予奖励。", "haidian_officer", "municipal"),
    ("110108", "示例：海淀区技术经理人职称评价服务措施",
     "示例条目（非真实政策）：为本区技术经理人申报技术经纪专业技术资格提供政策解读和申报辅导。",
     "municipal", "haidian_officer"),
    ("110105", "示例：朝阳区技术经理人队伍建设支持措施",
     "示例条目（非真实政策）：支持本区技术转移机构设置技术经理人岗位。", "municipal", None),
]


def _seed_policies(users) -> None:
    if SupportPolicy.objects.filter(is_example=True).exists():
        return
    districts = {d.code: d for d in District.objects.filter(code__in=[e[0] for e in EXAMPLES])}
    city_rules = list(RewardRule.objects.filter(level=RuleLevel.CITY, is_active=True))
    for index, (code, title, summary, drafter, publisher) in enumerate(EXAMPLES):
        district = districts[code]
        policy = services.create_policy(
            actor=users[drafter], title=title, issuer=f"示例：{district.name_zh}（演示数据）",
            issued_on=datetime.date(2023, 3 + index, 15), level=PolicyLevel.DISTRICT,
            district=district, summary=summary, full_text=summary, is_example=True,
            reward_rules=city_rules if index == 0 else ())
        if publisher is not None:
            services.publish_policy(actor=users[publisher], policy=policy)


def _seed_reports(users) -> None:
    plan = Plan.objects.filter(number=PLAN["number"]).first()
    if plan is None or TaskReport.objects.filter(task__plan=plan).exists():
        return
    task = plan.tasks.get(kind=TaskKind.KEY_TASK, number=1)
    q3 = (datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
    q4 = (datetime.date(2025, 10, 1), datetime.date(2025, 12, 31))

    def filed(who, department, period, narrative, measures):
        report = services.file_report(actor=users[who], task=task, department=department,
                                      period_start=period[0], period_end=period[1],
                                      narrative=narrative, measures=measures)
        return services.submit_report(actor=users[who], report=report)

    accepted = filed("edu_officer", PlanDepartment.EDUCATION, q3,
                     "组织在京高校开展技术转移相关选修课程调研，汇总课程开设情况。",
                     "召开高校技术转移工作座谈会。")
    services.review_report(actor=users["municipal"], report=accepted, accept=True,
                           note="")
    filed("edu_officer", PlanDepartment.EDUCATION, q4,
          "推动高校技术转移从业人员在岗参加培训，统计参训情况。", "印发培训工作提示。")
    returned = filed("health_officer", PlanDepartment.HEALTH, q4,
                     "组织医疗卫生机构技术转移从业人员参加培训。", "")
    services.review_report(actor=users["municipal"], report=returned, accept=False,
                           note="请补充参训机构和人员情况。")


def _seed_meetings(users) -> None:
    """A conference meeting after the plan closed, reviewing its last quarter: one action done,
    one still open past its due day (the conference view shows it late)."""
    from tmhub.insights.models import Meeting

    plan = Plan.objects.filter(number=PLAN["number"]).first()
    if plan is None or Meeting.objects.filter(plan=plan).exists():
        return
    city = users["municipal"]
    task = plan.tasks.get(kind=TaskKind.KEY_TASK, number=1)
    meeting = services.create_meeting(
        actor=city, plan=plan, held_on=datetime.date(2026, 1, 20),
        title="方案收官工作会议（演示）", departments=list(PlanDepartment.values),
        notes="审议方案期末完成情况和2025年第四季度进展报告。")
    item = services.add_agenda_item(actor=city, meeting=meeting, task=task,
                                    subject="技术经理人培养体系任务期末情况",
                                    decision="各责任部门补齐第四季度进展报告。")
    done = services.add_action(actor=city, meeting=meeting, agenda_item=item,
                               text="汇总高校技术转移课程开设情况",
                               owner=PlanDepartment.EDUCATION,
                               due_on=datetime.date(2026, 3, 31))
    services.complete_action(actor=users["edu_officer"], action=done,
                             note="已汇总报送市科委。", done_on=datetime.date(2026, 3, 20))
    services.add_action(actor=city, meeting=meeting, agenda_item=item,
                        text="补充医疗卫生机构参训情况", owner=PlanDepartment.HEALTH,
                        due_on=datetime.date(2026, 2, 28))


def seed(ctx) -> None:
    User = get_user_model()
    names = ("municipal", "haidian_officer", "edu_officer", "health_officer")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if set(users) != set(names):
        return
    _seed_policies(users)
    _seed_reports(users)
    _seed_meetings(users)


def finish(ctx) -> None:
    """Once every app has seeded: the dashboard's running totals recomputed from the records
    (some demo rows are written as rows, not through the services that book them)."""
    from tmhub.insights import totals

    totals.rebuild()
