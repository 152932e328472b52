"""Every write of the oversight module: plans, targets and progress reports, audited in the
same transaction (tmhub.core.audit)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.insights import notices
from tmhub.insights.choices import (
    PLAN_NAMES,
    PlanDepartment,
    PolicyEvent,
    PolicyLevel,
    PolicyStatus,
    ReportEvent,
    ReportStatus,
    TaskKind,
)
from tmhub.insights.figures import city_figures
from tmhub.insights.models import (
    AgendaItem,
    FollowUpAction,
    Meeting,
    Plan,
    PlanTarget,
    PlanTask,
    ReportReminder,
    SupportPolicy,
    TaskReport,
)
from tmhub.insights.policies import plan_departments


@transaction.atomic
def create_plan(*, actor, title: str, number: str, start: datetime.date, end: datetime.date,
                title_en: str = "", issuers: str = "", issued_on=None,
                predecessor: Plan | None = None) -> Plan:
    """A new plan, usually the successor of the one whose period has ended."""
    policies.require(actor, "create", Plan)
    if end < start:
        raise ValidationError({"end": _("The period cannot end before it starts.")})
    if predecessor is not None:
        if start <= predecessor.end:
            raise ValidationError({"start": _("A successor plan starts after its predecessor "
                                              "ends (%(day)s).") % {"day": predecessor.end}})
        if Plan.objects.filter(predecessor=predecessor).exists():
            raise ValidationError({"predecessor": _("This plan already has a successor.")})
    if Plan.objects.filter(number=number).exists():
        raise ValidationError({"number": _("A plan with this document number exists.")})
    plan = Plan.objects.create(title=title, title_en=title_en, number=number, start=start,
                               end=end, issuers=issuers, issued_on=issued_on,
                               predecessor=predecessor)
    record_change(actor=actor, obj=plan, action=ObjectChange.Action.CREATE, before=None)
    return plan


@transaction.atomic
def add_target(*, actor, plan: Plan, label: str, metric_key: str, aggregation: str,
               target_value: int, due_on: datetime.date, label_en: str = "",
               basis: str = "") -> PlanTarget:
    policies.require(actor, "manage", plan)
    if not plan.start <= due_on <= plan.end:
        raise ValidationError({"due_on": _("The target falls due within the plan's period.")})
    target = PlanTarget.objects.create(
        plan=plan, label=label, label_en=label_en, metric_key=metric_key,
        aggregation=aggregation, target_value=target_value, due_on=due_on, basis=basis,
        order=plan.targets.count())
    record_change(actor=actor, obj=target, action=ObjectChange.Action.CREATE, before=None,
                  related=plan)
    return target


def _check_period(task: PlanTask, start: datetime.date, end: datetime.date) -> None:
    plan = task.plan
    if end < start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if start < plan.start or end > plan.end:
        raise ValidationError({"period_start": _("The period lies within the plan's period "
                                                 "(%(start)s – %(end)s).")
                               % {"start": plan.start, "end": plan.end}})
    if end > timezone.localdate():
        raise ValidationError({"period_end": _("A report covers a period that has ended.")})


@transaction.atomic
def file_report(*, actor, task: PlanTask, department: str, period_start: datetime.date,
                period_end: datetime.date, narrative: str, measures: str = "") -> TaskReport:
    """A draft report of `department` on `task`; the figures are pulled when it is submitted."""
    policies.require(actor, "file", task)
    if task.kind != TaskKind.KEY_TASK:
        raise ValidationError(_("Reports are filed on key tasks."))
    if department not in plan_departments(get_scope(actor)) or not task.departments.filter(
            department=department).exists():
        raise ValidationError({"department": _("%(department)s is not named on this task.")
                               % {"department": PLAN_NAMES.get(department, department)}})
    _check_period(task, period_start, period_end)
    if TaskReport.objects.filter(task=task, department=department, period_start=period_start,
                                 period_end=period_end).exists():
        raise ValidationError(_("This department has already reported on this task for this "
                                "period."))
    report = TaskReport.objects.create(
        task=task, department=department, period_start=period_start, period_end=period_end,
        narrative=narrative, measures=measures, filed_by=actor_user(actor),
        figures=city_figures(period_start, period_end), figures_as_of=period_end)
    record_change(actor=actor, obj=report, action=ObjectChange.Action.CREATE, before=None,
                  related=task)
    return report


@transaction.atomic
def edit_report(*, actor, report: TaskReport, narrative: str, measures: str = "") -> TaskReport:
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    policies.require(actor, "edit", report)
    before = snapshot(report)
    report.narrative, report.measures = narrative, measures
    report.save(update_fields=["narrative", "measures", "updated_at"])
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.task)
    return report


@transaction.atomic
def submit_report(*, actor, report: TaskReport) -> TaskReport:
    """Submit to the lead department; the figures are pulled again as of the period's end."""
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    policies.require(actor, "submit", report)
    before = snapshot(report)
    old = report.status
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.figures = city_figures(report.period_start, report.period_end)
    report.figures_as_of = report.period_end
    report.save()
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.task)
    record_event(actor=actor, obj=report, event_type=ReportEvent.SUBMITTED, from_state=old,
                 to_state=report.status, related=report.task)
    from tmhub.insights.selectors import department_people

    leads = report.task.departments.filter(role="lead").values_list("department", flat=True)
    reviewers = [u for code in leads for u in department_people(code)
                 if u.pk != report.filed_by_id]
    notify(reviewers, kind=notices.REVIEW.key, about=report, url=report.get_absolute_url(),
           subject=gettext_lazy("Progress report to review: task %(number)s, %(department)s"),
           params={"number": report.task.number,
                   "department": PlanDepartment(report.department).label})
    return report


@transaction.atomic
def review_report(*, actor, report: TaskReport, accept: bool, note: str = "") -> TaskReport:
    """The lead department accepts the report, or returns it with a reason."""
    report = TaskReport.objects.select_for_update().get(pk=report.pk)
    policies.require(actor, "review", report)
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the report goes back.")})
    before = snapshot(report)
    old = report.status
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_by = actor_user(actor)
    report.review_note = note
    report.save()
    record_change(actor=actor, obj=report, action=ObjectChange.Action.UPDATE, before=before,
                  related=report.task)
    event = ReportEvent.ACCEPTED if accept else ReportEvent.RETURNED
    record_event(actor=actor, obj=report, event_type=event,
                 from_state=old, to_state=report.status, reason=note, related=report.task)
    return report


POLICY_FIELDS = ("title", "title_en", "issuer", "number", "issued_on", "level", "district",
                 "summary", "summary_en", "full_text", "link")


def _check_policy(policy: SupportPolicy) -> None:
    errors = {}
    if policy.level == PolicyLevel.DISTRICT and policy.district_id is None:
        errors["district"] = _("A district policy names its district.")
    if policy.level == PolicyLevel.CITY and policy.district_id is not None:
        errors["district"] = _("A city policy names no district.")
    if not policy.full_text.strip() and not policy.link:
        errors["full_text"] = _("Give the full text or a link to the official text.")
    if policy.issued_on and policy.issued_on > timezone.localdate():
        errors["issued_on"] = _("A policy is entered once it has been issued.")
    if errors:
        raise ValidationError(errors)


def _set_rules(policy, reward_rules, title_rules) -> None:
    if reward_rules is not None:
        policy.reward_rules.set(reward_rules)
    if title_rules is not None:
        policy.title_rules.set(title_rules)


@transaction.atomic
def create_policy(*, actor, reward_rules=(), title_rules=(), is_example: bool = False,
                  **fields) -> SupportPolicy:
    """A draft support policy; another person publishes it."""
    values = {key: fields.get(key) or "" for key in POLICY_FIELDS}
    values["district"] = fields.get("district") if values["level"] == PolicyLevel.DISTRICT \
        else None
    values["issued_on"] = fields.get("issued_on")
    policy = SupportPolicy(**values, is_example=is_example, drafted_by=actor_user(actor))
    policies.require(actor, "create", policy)
    _check_policy(policy)
    policy.save()
    _set_rules(policy, reward_rules, title_rules)
    record_change(actor=actor, obj=policy, action=ObjectChange.Action.CREATE, before=None)
    return policy


@transaction.atomic
def edit_policy(*, actor, policy: SupportPolicy, reward_rules=None, title_rules=None,
                **fields) -> SupportPolicy:
    policy = SupportPolicy.objects.select_for_update().get(pk=policy.pk)
    policies.require(actor, "edit", policy)
    before = snapshot(policy)
    for key in POLICY_FIELDS:
        if key in fields:
            value = fields[key]
            setattr(policy, key, value if value is not None or key in ("district", "issued_on")
                    else "")
    if policy.level == PolicyLevel.CITY:
        policy.district = None
    # The edited policy stays within the editor's own districts.
    policies.require(actor, "create", policy)
    _check_policy(policy)
    policy.save()
    _set_rules(policy, reward_rules, title_rules)
    record_change(actor=actor, obj=policy, action=ObjectChange.Action.UPDATE, before=before)
    return policy


@transaction.atomic
def publish_policy(*, actor, policy: SupportPolicy) -> SupportPolicy:
    """Make a draft public; the person who drafted it cannot."""
    policy = SupportPolicy.objects.select_for_update().get(pk=policy.pk)
    policies.require(actor, "publish", policy)
    before = snapshot(policy)
    policy.status = PolicyStatus.PUBLISHED
    policy.published_by = actor_user(actor)
    policy.published_at = timezone.now()
    policy.save()
    record_change(actor=actor, obj=policy, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=policy, event_type=PolicyEvent.PUBLISHED,
                 from_state=PolicyStatus.DRAFT, to_state=policy.status)
    return policy


@transaction.atomic
def withdraw_policy(*, actor, policy: SupportPolicy, reason: str) -> SupportPolicy:
    """Take a published policy off the public library (it was repealed or replaced)."""
    policy = SupportPolicy.objects.select_for_update().get(pk=policy.pk)
    policies.require(actor, "withdraw", policy)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the policy is withdrawn.")})
    before = snapshot(policy)
    policy.status = PolicyStatus.WITHDRAWN
    policy.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, obj=policy, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=policy, event_type=PolicyEvent.WITHDRAWN,
                 from_state=PolicyStatus.PUBLISHED, to_state=policy.status, reason=reason)
    return policy


def send_overdue_reminders(*, actor, today: datetime.date | None = None) -> int:
    """Remind each department of the progress reports it owes past their due day, once per
    report (a ReportReminder row, audited), in one message per department and plan. Reports
    due longer ago than REMIND_WITHIN_DAYS are not reminded of. Returns the reports
    reminded of."""
    from tmhub.insights import selectors

    today = today or timezone.localdate()
    oldest = today - datetime.timedelta(days=selectors.REMIND_WITHIN_DAYS)
    sent = 0
    for plan in Plan.objects.filter(end__gte=oldest - datetime.timedelta(
            days=selectors.REPORT_DUE_DAYS + 92)):
        by_department: dict[str, list] = {}
        for owed in selectors.owed_reports(plan, today):
            if owed.due_on < oldest:
                continue
            by_department.setdefault(owed.department, []).append(owed)
        for department, owed_list in by_department.items():
            with transaction.atomic():
                fresh = []
                for owed in owed_list:
                    reminder, created = ReportReminder.objects.get_or_create(
                        task=owed.task, department=department, period_start=owed.period_start,
                        period_end=owed.period_end,
                        defaults={"due_on": owed.due_on, "reminded_on": today})
                    if created:
                        record_change(actor=actor, obj=reminder,
                                      action=ObjectChange.Action.CREATE, before=None,
                                      related=owed.task)
                        fresh.append(owed)
                if not fresh:
                    continue
                notify(selectors.department_people(department), kind=notices.OVERDUE.key,
                       about=plan, url=plan.get_absolute_url(),
                       subject=gettext_lazy("%(count)s progress reports overdue on %(number)s"),
                       body=gettext_lazy("Reports owed by %(department)s, each due %(days)s "
                                         "days after its quarter: %(tasks)s."),
                       params={"count": len(fresh), "number": plan.number,
                               "department": PlanDepartment(department).label,
                               "days": selectors.REPORT_DUE_DAYS,
                               "tasks": "; ".join(
                                   f"{o.task.number} ({o.period_start}–{o.period_end})"
                                   for o in fresh)})
                sent += len(fresh)
    return sent


@transaction.atomic
def create_meeting(*, actor, plan: Plan, held_on: datetime.date, title: str,
                   departments: list[str], notes: str = "") -> Meeting:
    """A meeting of the joint conference, with the departments that attended."""
    policies.require(actor, "create", Meeting)
    unknown = [d for d in departments if d not in PlanDepartment.values]
    if unknown or not departments:
        raise ValidationError({"departments": _("Choose the departments that attended.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A meeting is entered once it has been held.")})
    ordered = [code for code in PlanDepartment.values if code in departments]
    meeting = Meeting.objects.create(plan=plan, held_on=held_on, title=title,
                                     departments=ordered, notes=notes,
                                     entered_by=actor_user(actor))
    record_change(actor=actor, obj=meeting, action=ObjectChange.Action.CREATE, before=None,
                  related=plan)
    return meeting


def _task_of_plan(task, plan):
    if task is not None and task.plan_id != plan.pk:
        raise ValidationError({"task": _("Choose a task of this meeting's plan.")})


@transaction.atomic
def add_agenda_item(*, actor, meeting: Meeting, subject: str, task=None,
                    decision: str = "") -> AgendaItem:
    policies.require(actor, "manage", meeting)
    _task_of_plan(task, meeting.plan)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = AgendaItem.objects.create(meeting=meeting, order=meeting.agenda.count() + 1,
                                     task=task, subject=subject, decision=decision)
    record_change(actor=actor, obj=item, action=ObjectChange.Action.CREATE, before=None,
                  related=meeting)
    return item


@transaction.atomic
def add_action(*, actor, meeting: Meeting, text: str, owner: str, due_on: datetime.date,
               task=None, agenda_item=None) -> FollowUpAction:
    """A follow-up action the meeting decided, owned by one department, due on a day."""
    policies.require(actor, "manage", meeting)
    _task_of_plan(task, meeting.plan)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    if owner not in PlanDepartment.values:
        raise ValidationError({"owner": _("Choose the department that owns the action.")})
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": _("An action falls due after the meeting.")})
    if task is None and agenda_item is not None:
        task = agenda_item.task
    action = FollowUpAction.objects.create(meeting=meeting, agenda_item=agenda_item, task=task,
                                           text=text, owner=owner, due_on=due_on)
    record_change(actor=actor, obj=action, action=ObjectChange.Action.CREATE, before=None,
                  related=meeting)
    return action


@transaction.atomic
def complete_action(*, actor, action: FollowUpAction, note: str,
                    done_on: datetime.date | None = None) -> FollowUpAction:
    action = FollowUpAction.objects.select_for_update().get(pk=action.pk)
    policies.require(actor, "complete", action)
    if not note.strip():
        raise ValidationError({"note": _("Say how the action was done.")})
    before = snapshot(action)
    action.done_on = done_on or timezone.localdate()
    action.done_note = note
    action.save(update_fields=["done_on", "done_note", "updated_at"])
    record_change(actor=actor, obj=action, action=ObjectChange.Action.UPDATE, before=before,
                  related=action.meeting)
    return action
