"""The numbers behind the progress dashboard, each as a table (columns + rows) that the
charts draw and the xlsx exports hand over unchanged.

Every figure is read from the running totals (`DashboardFigure`, kept by the services in the
same transaction as each write, see figures.py), restricted to the user's scope: a handful of
small GROUP BYs over a few thousand rows, whatever the number of managers or attendance
records. tests/test_dashboard.py checks each number against the records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.choices import OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.training.choices import (
    FINISHED_ENROLMENT,
    EnrolmentStatus,
    Level,
)
from tmhub.training.dashboard.population import (
    has_profiles,
    is_city_wide,
    scoped,
    scoped_figures,
)
from tmhub.training.models import DashboardFigure, Enrolment, PlanTarget, TrainedManager
from tmhub.training.models import FigureMetric as M

PACE_WINDOW_MONTHS = 6  # the "current pace" is the average of the last six complete months


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    kind: str = "bar"  # how the chart draws it: bar, line, pie, progress
    roles: list[str] = field(default_factory=list)  # progress: what each value column is


@dataclass
class Progress:
    """Where the scope stands. `target` is what it is compared with: the plan's target for a
    city-wide view, None for a district, department or institution (the plan sets no target of
    theirs), whose view shows counts only. `plan` is the plan itself (its period frames the
    charts either way). Once the plan has ended (`deadline_passed`) nothing is projected: the
    result is `trained_at_end`, counted from the records up to the plan's end date."""

    target: PlanTarget | None
    trained: int
    remaining: int
    pace_per_month: Decimal
    projected_at_deadline: int | None
    projected_date: datetime.date | None
    reached_on: datetime.date | None
    deadline_passed: bool
    days_to_deadline: int | None
    on_track: bool | None
    plan: PlanTarget | None = None
    trained_at_end: int | None = None
    trained_since_end: int | None = None
    percent_of_target: int | None = None  # of the target's count, at most 100
    attained: bool | None = None  # after the end: was the target reached by then?


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, current = [], month_start(start)
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def _month(key: str) -> datetime.date:
    year, month = key.split("-")
    return datetime.date(int(year), int(month), 1)


def current_target(today: datetime.date) -> PlanTarget | None:
    """The plan target in force today; after its period, the latest one (its result stands)."""
    return PlanTarget.objects.in_force(today, code="trained-managers").first() or (
        PlanTarget.objects.filter(code="trained-managers").order_by("-effective_from").first())


class DashboardData:
    """Every figure for one user's scope, computed on demand and memoised per instance."""

    def __init__(self, scope, today: datetime.date | None = None):
        self.scope = scope
        self.today = today or timezone.localdate()
        self.plan = current_target(self.today)
        # A district's or an institution's numbers are not compared with the city's 500: the
        # plan sets them no target of their own, so their view shows counts only.
        self.target = self.plan if is_city_wide(scope) else None
        self._people_cache = None
        self._status_cache = None

    # --- populations ------------------------------------------------------------------
    def trained(self):
        """One row per trained manager (valid certificate), within the scope."""
        return scoped(TrainedManager.objects.all(), self.scope)

    def enrolments(self):
        return scoped(Enrolment.objects.all(), self.scope)

    def figures(self, metric, *dimensions) -> list[tuple]:
        """The running totals of one metric within the scope, summed by `dimensions`."""
        rows = (scoped_figures(DashboardFigure.objects.filter(metric=metric), self.scope)
                .values(*dimensions).annotate(total=Sum("value")).order_by()
                .values_list(*dimensions, "total"))
        return [row for row in rows if row[-1]]

    # --- progress toward the target -----------------------------------------------------
    def trained_by_month(self) -> dict[datetime.date, int]:
        return {_month(key): int(n) for key, n in self.figures(M.TRAINED_BY_MONTH, "key")}

    def progress_table(self) -> tuple[Table, Progress]:
        by_month = self.trained_by_month()
        plan, target = self.plan, self.target
        trained = sum(by_month.values())
        start = plan.baseline_date if plan else (min(by_month) if by_month else self.today)
        start = min([start, *by_month]) if by_month else start
        deadline = plan.deadline if plan else self.today
        ended = plan is not None and self.today > deadline
        this_month = month_start(self.today)
        recent = sum(by_month.get(add_months(this_month, -back), 0)
                     for back in range(1, PACE_WINDOW_MONTHS + 1))
        pace = (Decimal(recent) / PACE_WINDOW_MONTHS).quantize(Decimal("0.1"))
        goal = target.target_count if target else 0
        remaining = max(goal - trained, 0)
        reached_on, running = None, 0
        cumulative = {}
        for month in months_between(start, self.today):
            running += by_month.get(month, 0)
            cumulative[month] = running
            if reached_on is None and goal and running >= goal:
                reached_on = month
        trained_at_end = cumulative.get(month_start(deadline), trained) if ended else None
        projected_date = reached_on
        if reached_on is None and pace > 0 and not ended:
            months_needed = int((Decimal(remaining) / pace).to_integral_value(ROUND_CEILING))
            projected_date = add_months(this_month, months_needed)
        if ended:
            projected_at_deadline = trained_at_end
        else:
            months_left = Decimal((deadline - self.today).days) / 30
            projected_at_deadline = trained + int(pace * months_left)
        # The chart runs to the plan's end (or today, after it) and, while the plan runs, on to
        # the month the target is projected to be reached (at most five years out).
        end = max(deadline, self.today)
        if projected_date and projected_date > end:
            end = min(projected_date, add_months(self.today, 60))
        columns, roles = [_("Month"), _("Trained (cumulative)")], ["actual"]
        if not ended:
            columns.append(_("Projected (cumulative)"))
            roles.append("projected")
        if goal:
            columns.append(_("Target"))
            roles.append("target")
        title = (_("Trained managers against the target") if goal
                 else _("Trained managers (cumulative)"))
        table = Table("progress", title, columns, kind="progress", roles=roles)
        for month in months_between(start, end):
            row = [month.strftime("%Y-%m"), cumulative.get(month)]
            if not ended:
                ahead = (month.year - self.today.year) * 12 + month.month - self.today.month
                row.append(trained + int(pace * ahead) if month >= this_month else None)
            if goal:
                row.append(goal if month <= month_start(deadline) else None)
            table.rows.append(row)
        counted = trained_at_end if ended else trained
        progress = Progress(
            target=target, trained=trained, remaining=remaining, pace_per_month=pace,
            projected_at_deadline=projected_at_deadline, projected_date=projected_date,
            reached_on=reached_on, deadline_passed=ended,
            days_to_deadline=None if ended else (deadline - self.today).days,
            on_track=None if ended or not goal else (projected_at_deadline or 0) >= goal,
            plan=plan, trained_at_end=trained_at_end,
            trained_since_end=trained - trained_at_end if ended else None,
            percent_of_target=min(counted * 100 // goal, 100) if goal else None,
            attained=counted >= goal if ended and goal else None,
        )
        return table, progress

    # --- who the trained managers are ---------------------------------------------------
    def _people(self) -> dict[tuple, int]:
        """Trained managers counted once per (level, route, district, kind): one pass that
        feeds four charts."""
        if self._people_cache is None:
            self._people_cache = {
                (level, route, district or None, kind): int(n) for level, route, district, kind, n
                in self.figures(M.TRAINED_BY_LEVEL, "key", "route", "district", "kind")}
        return self._people_cache

    def _grouped(self, position: int) -> dict:
        counts: dict = {}
        for key, n in self._people().items():
            counts[key[position]] = counts.get(key[position], 0) + n
        return counts

    def by_level(self) -> Table:
        table = Table("level", _("Trained managers by highest level"),
                      [_("Level"), _("Managers")])
        counts = self._grouped(0)
        for level, label in Level.choices:
            table.rows.append([str(label), counts.get(level, 0)])
        return table

    def by_route(self) -> Table:
        from tmhub.talent.choices import EntryRoute

        counts = self._grouped(1)
        table = Table("route", _("Trained managers by entry route"),
                      [_("Entry route"), _("Managers")], kind="pie")
        for value, label in EntryRoute.choices:
            table.rows.append([str(label), counts.pop(value, 0)])
        other = sum(counts.values())
        if other:
            table.rows.append([_("Not in the talent pool"), other])
        return table

    def by_district(self) -> Table:
        counts = self._grouped(2)
        table = Table("district", _("Trained managers by district"),
                      [_("District"), _("Managers")])
        for district in District.objects.all():
            table.rows.append([district.name, counts.pop(district.pk, 0)])
        if sum(counts.values()):
            table.rows.append([_("Unknown"), sum(counts.values())])
        return table

    def by_institution_kind(self) -> Table:
        counts = self._grouped(3)
        table = Table("kind", _("Trained managers by kind of employer"),
                      [_("Kind of employer"), _("Managers")])
        for value, label in OrgKind.choices:
            if counts.get(value):
                table.rows.append([str(label), counts.pop(value)])
        if sum(counts.values()):
            table.rows.append([_("Unknown"), sum(counts.values())])
        return table

    def by_field(self) -> Table:
        table = Table("field", _("Trained managers by industry field"),
                      [_("Industry field"), _("Managers")])
        if not has_profiles():
            return table
        counts = {int(key) if key else None: int(n)
                  for key, n in self.figures(M.TRAINED_BY_FIELD, "key")}
        for item in IndustryField.objects.all():
            if counts.get(item.pk) or item.is_priority:
                table.rows.append([item.name, counts.get(item.pk, 0)])
        if counts.get(None):
            table.rows.append([_("Not stated"), counts[None]])
        return table

    # --- the training system's activity ---------------------------------------------------
    def _month_range(self):
        start = self.plan.baseline_date if self.plan else add_months(self.today, -23)
        return months_between(start, self.today)

    def _status_counts(self) -> dict[tuple, int]:
        """Enrolments counted per (level, status): feeds the completion rates and totals."""
        if self._status_cache is None:
            self._status_cache = {}
            for key, n in self.figures(M.ENROLMENTS_BY_STATUS, "key"):
                level, status = key.split(":")
                self._status_cache[(level, status)] = int(n)
        return self._status_cache

    def enrolments_by_month(self) -> Table:
        counts = {_month(key): int(n) for key, n in self.figures(M.ENROLMENTS_BY_MONTH, "key")}
        table = Table("enrolments", _("Enrolment requests per month"),
                      [_("Month"), _("Enrolments")])
        for month in self._month_range():
            table.rows.append([month.strftime("%Y-%m"), counts.get(month, 0)])
        return table

    def completion_by_level(self) -> Table:
        counts = self._status_counts()
        table = Table("completion", _("Completion rate by level"),
                      [_("Level"), _("Completed"), _("Not completed"),
                       _("Completion rate (% of finished enrolments)")])
        for level, label in Level.choices:
            done = counts.get((level, EnrolmentStatus.COMPLETED), 0)
            not_done = counts.get((level, EnrolmentStatus.NOT_COMPLETED), 0)
            rate = (Decimal(done * 100) / (done + not_done)).quantize(Decimal("0.1")) \
                if done + not_done else None
            table.rows.append([str(label), done, not_done, rate])
        return table

    def hours_by_month(self) -> Table:
        """Person-hours of training delivered per month (credited attendance of the scope's
        trainees, by the month of the session)."""
        totals = {_month(key): hours for key, hours in self.figures(M.HOURS_BY_MONTH, "key")}
        table = Table("hours", _("Class hours delivered per month (person-hours)"),
                      [_("Month"), _("Class hours")])
        for month in self._month_range():
            table.rows.append([month.strftime("%Y-%m"), totals.get(month, Decimal(0))])
        return table

    def totals(self) -> dict:
        counts: dict = {}
        for (_level, status), n in self._status_counts().items():
            counts[status] = counts.get(status, 0) + n
        finished = sum(counts.get(s, 0) for s in FINISHED_ENROLMENT)
        completed = counts.get(EnrolmentStatus.COMPLETED, 0)
        hours = self.hours_by_month()
        return {
            "enrolments": sum(counts.values()),
            "completed": completed,
            "completion_rate": (Decimal(completed * 100) / finished).quantize(Decimal("0.1"))
            if finished else None,
            "hours": sum((row[1] for row in hours.rows), Decimal(0)),
            "hours_table": hours,
        }

    def tables(self) -> tuple[list[Table], Progress, dict]:
        progress_table, progress = self.progress_table()
        totals = self.totals()
        tables = [progress_table, self.by_level()]
        if has_profiles():
            tables.append(self.by_route())
        tables += [self.by_district(), self.by_institution_kind()]
        if has_profiles():
            tables.append(self.by_field())
        tables += [self.enrolments_by_month(), self.completion_by_level(),
                   totals.pop("hours_table")]
        return tables, progress, totals


TABLE_BUILDERS = {
    "progress": lambda d: d.progress_table()[0], "level": DashboardData.by_level,
    "route": DashboardData.by_route, "district": DashboardData.by_district,
    "kind": DashboardData.by_institution_kind, "field": DashboardData.by_field,
    "enrolments": DashboardData.enrolments_by_month,
    "completion": DashboardData.completion_by_level, "hours": DashboardData.hours_by_month,
}
