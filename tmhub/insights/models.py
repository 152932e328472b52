"""Plans as data (SPEC §10, issue 19): a plan with its targets, key tasks and guarantee
measures, the departments named after each task, and the departments' progress reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.models import TimeStampedModel
from tmhub.insights.choices import (
    PLAN_NAMES,
    Aggregation,
    DepartmentRole,
    PlanDepartment,
    PolicyLevel,
    PolicyStatus,
    ReportStatus,
    TaskKind,
)


def _bilingual(zh: str, en: str) -> str:
    return en if en and (get_language() or "").startswith("en") else zh


class Plan(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    number = models.CharField(_("document number"), max_length=60, unique=True)
    issuers = models.CharField(_("issued by"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    predecessor = models.OneToOneField(
        "self", verbose_name=_("predecessor plan"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="successor")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                              name="insights_plan_period_ordered")]

    def __str__(self) -> str:
        return f"{self.display_title}（{self.number}）"

    def get_absolute_url(self) -> str:
        return reverse("insights:plan-detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    def is_closed(self, today=None) -> bool:
        """The plan's period has ended (today after its last day)."""
        return (today or timezone.localdate()) > self.end


class PlanTarget(models.Model):
    """A figure the plan sets, read from the metrics registry over the plan's period."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE,
                             related_name="targets")
    label = models.CharField(_("target"), max_length=200)
    label_en = models.CharField(_("target (English)"), max_length=200, blank=True)
    metric_key = models.CharField(_("metric"), max_length=80)
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices,
                                   default=Aggregation.SUM)
    target_value = models.PositiveBigIntegerField(_("target value"))
    due_on = models.DateField(_("due on"))
    basis = models.CharField(_("wording in the plan"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return _bilingual(self.label, self.label_en)


class PlanTask(models.Model):
    """A key task or a guarantee measure of a plan, numbered as the plan numbers it."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE,
                             related_name="tasks")
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=4000, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "kind", "number"]
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "number"],
                                               name="insights_task_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_title}"

    def get_absolute_url(self) -> str:
        return reverse("insights:task-detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    def departments_in_order(self):
        return sorted(self.departments.all(), key=lambda d: d.position)


class TaskDepartment(models.Model):
    """A department named after a task, in the plan's order; the first named lead."""

    task = models.ForeignKey(PlanTask, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="departments")
    department = models.CharField(_("department"), max_length=30,
                                  choices=PlanDepartment.choices)
    role = models.CharField(_("role"), max_length=20, choices=DepartmentRole.choices)
    position = models.PositiveSmallIntegerField(_("order named"))

    class Meta:
        ordering = ["task", "position"]
        verbose_name = _("task department")
        verbose_name_plural = _("task departments")
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="insights_dept_position"),
            models.UniqueConstraint(fields=["task", "department"], name="insights_dept_once"),
        ]

    def __str__(self) -> str:
        return self.plan_name

    @property
    def plan_name(self) -> str:
        return PLAN_NAMES[self.department]


class TaskReport(TimeStampedModel):
    """A department's progress report on one task for one period; the figures the platform
    knows are pulled from the metrics registry as of the period's end when it is filed."""

    task = models.ForeignKey(PlanTask, verbose_name=_("task"), on_delete=models.PROTECT,
                             related_name="reports")
    department = models.CharField(_("department"), max_length=30,
                                  choices=PlanDepartment.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    narrative = models.TextField(_("progress"), max_length=4000)
    measures = models.TextField(_("measures taken"), max_length=4000, blank=True)
    figures = models.JSONField(_("figures"), default=list, blank=True)
    figures_as_of = models.DateField(_("figures as of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"),
                                 on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    review_note = models.TextField(_("review note"), max_length=2000, blank=True)

    # The pulled figures are the registry's, not anyone's edit: kept out of the change log
    # (its history would list every metric's raw key and value).
    AUDIT_EXCLUDE = ("figures",)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "task", "department"]
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        constraints = [
            models.UniqueConstraint(fields=["task", "department", "period_start", "period_end"],
                                    name="insights_one_report_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="insights_report_period_ordered"),
        ]

    def __str__(self) -> str:
        return (f"{self.task} · {PLAN_NAMES[self.department]} · "
                f"{self.period_start}–{self.period_end}")

    def get_absolute_url(self) -> str:
        return reverse("insights:report-detail", args=[self.pk])

    @property
    def plan_name(self) -> str:
        return PLAN_NAMES[self.department]


class SupportPolicy(TimeStampedModel):
    """A city or district support policy for technology managers (发挥政策合力), with the
    platform's rules that carry it out: reward rules (tmhub.transfer) and title eligibility
    rules (tmhub.evaluation). Public once published; `is_example` marks a demonstration row
    that is not a real policy (the page says so)."""

    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    issuer = models.CharField(_("issued by"), max_length=300)
    number = models.CharField(_("document number"), max_length=80, blank=True)
    issued_on = models.DateField(_("issued on"))
    level = models.CharField(_("level"), max_length=20, choices=PolicyLevel.choices)
    district = models.ForeignKey("core.District", verbose_name=_("district"), null=True,
                                 blank=True, on_delete=models.PROTECT,
                                 related_name="support_policies")
    summary = models.TextField(_("summary"), max_length=2000)
    summary_en = models.TextField(_("summary (English)"), max_length=2000, blank=True)
    full_text = models.TextField(_("full text"), max_length=60000, blank=True)
    link = models.URLField(_("link to the official text"), max_length=500, blank=True)
    reward_rules = models.ManyToManyField("transfer.RewardRule", verbose_name=_("reward rules"),
                                          blank=True, related_name="support_policies")
    title_rules = models.ManyToManyField("evaluation.EligibilityRule",
                                         verbose_name=_("title eligibility rules"), blank=True,
                                         related_name="support_policies")
    status = models.CharField(_("status"), max_length=20, choices=PolicyStatus.choices,
                              default=PolicyStatus.DRAFT)
    is_example = models.BooleanField(_("example, not a real policy"), default=False)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "pk"]
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(level=PolicyLevel.CITY, district__isnull=True)
                           | models.Q(level=PolicyLevel.DISTRICT, district__isnull=False)),
                name="insights_policy_district_iff_district_level"),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("insights:policy-detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def display_summary(self) -> str:
        return _bilingual(self.summary, self.summary_en)


class ReportReminder(models.Model):
    """A department reminded once of a report it owes (task, period) after its due day."""

    task = models.ForeignKey(PlanTask, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="reminders")
    department = models.CharField(_("department"), max_length=30,
                                  choices=PlanDepartment.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_on = models.DateField(_("due on"))
    reminded_on = models.DateField(_("reminded on"))

    class Meta:
        ordering = ["-reminded_on", "task", "department"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["task", "department", "period_start", "period_end"],
                                    name="insights_remind_once_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {PLAN_NAMES[self.department]} · {self.period_end}"


class StatusRule(models.Model):
    """How the conference reads a key task's status, as data (one row per plan; the defaults
    apply where a plan has none): late with this many reports overdue or this many follow-up
    actions past their due day; at risk when its latest report was returned or an open action
    falls due within this many days; on track otherwise."""

    plan = models.OneToOneField(Plan, verbose_name=_("plan"), on_delete=models.CASCADE,
                                related_name="status_rule")
    late_overdue_reports = models.PositiveSmallIntegerField(
        _("overdue reports that make a task late"), default=1)
    late_overdue_actions = models.PositiveSmallIntegerField(
        _("overdue actions that make a task late"), default=1)
    at_risk_when_returned = models.BooleanField(
        _("at risk when the latest report was returned"), default=True)
    at_risk_action_days = models.PositiveSmallIntegerField(
        _("at risk when an open action falls due within (days)"), default=14)

    class Meta:
        verbose_name = _("task status rule")
        verbose_name_plural = _("task status rules")

    def __str__(self) -> str:
        return str(self.plan)


class Meeting(TimeStampedModel):
    """A meeting of the joint conference (市科技成果转化工作联席会) on a plan's work."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="meetings")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    departments = models.JSONField(_("attending departments"), default=list)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("conference meeting")
        verbose_name_plural = _("conference meetings")

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("insights:meeting-detail", args=[self.pk])

    def department_labels(self) -> list:
        return [PlanDepartment(code).label for code in self.departments
                if code in PlanDepartment.values]


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    task = models.ForeignKey(PlanTask, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="agenda_items")
    subject = models.CharField(_("subject"), max_length=300)
    decision = models.TextField(_("decision"), max_length=4000, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "order"],
                                               name="insights_agenda_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.subject}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class FollowUpAction(TimeStampedModel):
    """A follow-up action a meeting decided: what, which department owns it, by when."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="actions")
    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="actions")
    task = models.ForeignKey(PlanTask, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="actions")
    text = models.CharField(_("follow-up action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=30, choices=PlanDepartment.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("how it was done"), max_length=2000, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()

    @property
    def is_open(self) -> bool:
        return self.done_on is None


class DashboardTotal(models.Model):
    """One running total of the city dashboard: a measure (managers registered, contracts
    signed, income received …) for one cell of its dimensions (the year of the record's own
    day, the institution, the district and kind of employer, training level, entry route,
    industry field). Zero and blank mean "none" in a dimension; a dimension a measure does not
    break down by stays zero.

    Only `tmhub.insights.totals` writes these rows, in the writer's transaction, from what each
    record contributes (`DashboardContribution`); `totals.rebuild()` recomputes them from the
    records and the tests check the two agree. The dashboard reads them for whole years of a
    plan (a few thousand rows instead of the 100,000 records behind them)."""

    measure = models.CharField(_("measure"), max_length=20)
    year = models.SmallIntegerField(_("year"))
    institution = models.IntegerField(_("institution id"), default=0)
    district = models.IntegerField(_("district id"), default=0)
    kind = models.CharField(_("kind of organisation"), max_length=30, blank=True, default="")
    level = models.CharField(_("training level"), max_length=20, blank=True, default="")
    route = models.CharField(_("entry route"), max_length=20, blank=True, default="")
    field = models.IntegerField(_("industry field id"), default=0)
    value = models.BigIntegerField(_("value"), default=0)

    CELL = ("measure", "year", "institution", "district", "kind", "level", "route", "field")

    class Meta:
        verbose_name = _("dashboard total")
        verbose_name_plural = _("dashboard totals")
        constraints = [models.UniqueConstraint(
            fields=["measure", "year", "institution", "district", "kind", "level", "route",
                    "field"], name="insights_total_cell")]
        indexes = [models.Index(fields=["measure", "year"], name="insights_total_measure")]

    def __str__(self) -> str:
        return f"{self.measure} {self.year}: {self.value}"


class DashboardContribution(models.Model):
    """What one record (a manager's profile, a contract, a receipt, a cost, a reward split)
    adds to the dashboard's totals as it stands now: the cells and values booked for it. When
    the record or one it depends on changes, its contribution is computed again from the
    records and only the difference is booked, so an edit, a correction or a deletion moves
    the totals by exactly what it changed."""

    source = models.CharField(_("source"), max_length=20)
    record = models.BigIntegerField(_("record id"))
    # the record it depends on (a receipt's contract, a contract's project, a manager's
    # employer): a change of that one restates this one
    parent = models.BigIntegerField(_("parent record id"), default=0)
    cells = models.JSONField(_("cells"), default=list)

    class Meta:
        verbose_name = _("dashboard contribution")
        verbose_name_plural = _("dashboard contributions")
        constraints = [models.UniqueConstraint(fields=["source", "record"],
                                               name="insights_contribution_record")]
        indexes = [models.Index(fields=["source", "parent"],
                                name="insights_contribution_parent")]

    def __str__(self) -> str:
        return f"{self.source} {self.record}"
