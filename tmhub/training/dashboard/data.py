"""The numbers behind the progress dashboard, each as a table (columns + rows) that the
charts draw and the xlsx exports hand over unchanged."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.choices import OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.training.choices import (
    CREDITED_ATTENDANCE,
    FINISHED_ENROLMENT,
    EnrolmentStatus,
    Level,
)
from tmhub.training.dashboard.population import (
    district_expr,
    has_profiles,
    is_city_wide,
    kind_expr,
    route_expr,
    scoped,
)
from tmhub.training.models import Attendance, Enrolment, PlanTarget, Session, TrainedManager

PACE_WINDOW_DAYS = 183  # the "current pace" is the last six months' average


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    kind: str = "bar"  # how the chart draws it: bar, line, pie, progress


@dataclass
class Progress:
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


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def current_target(today: datetime.date) -> PlanTarget | None:
    return PlanTarget.objects.in_force(today).filter(code="trained-managers").first() or (
        PlanTarget.objects.filter(code="trained-managers").order_by("-effective_from").first())


class DashboardData:
    """Every figure for one user's scope, computed on demand and memoised per instance."""

    def __init__(self, scope, today: datetime.date | None = None):
        self.scope = scope
        self.today = today or timezone.localdate()
        self.target = current_target(self.today)
        self._people_cache = None
        self._enrolment_cache = None

    # --- populations ------------------------------------------------------------------
    def trained(self):
        """One row per trained manager (valid certificate), within the scope."""
        return scoped(TrainedManager.objects.all(), self.scope)

    def enrolments(self):
        return scoped(Enrolment.objects.all(), self.scope)

    # --- progress toward the target -----------------------------------------------------
    def trained_by_month(self) -> dict[datetime.date, int]:
        rows = (self.trained().annotate(m=TruncMonth("first_certified_at")).values("m")
                .annotate(n=Count("id")))
        counts: dict[datetime.date, int] = {}
        for row in rows:
            month = _as_date(row["m"])
            counts[month] = counts.get(month, 0) + row["n"]
        return counts

    def progress_table(self) -> tuple[Table, Progress]:
        by_month = self.trained_by_month()
        target = self.target
        trained = sum(by_month.values())
        start = target.baseline_date if target else (min(by_month) if by_month else self.today)
        start = min([start, *by_month]) if by_month else start
        deadline = target.deadline if target else self.today
        since = self.today - datetime.timedelta(days=PACE_WINDOW_DAYS)
        recent = self.trained().filter(first_certified_at__date__gt=since).count()
        pace = (Decimal(recent) * 30 / PACE_WINDOW_DAYS).quantize(Decimal("0.1"))
        goal = target.target_count if target else 0
        remaining = max(goal - trained, 0)
        reached_on, running = None, 0
        actual_months = months_between(start, self.today)
        cumulative = {}
        for month in actual_months:
            running += by_month.get(month, 0)
            cumulative[month] = running
            if reached_on is None and goal and running >= goal:
                reached_on = month
        projected_date = reached_on
        if reached_on is None and pace > 0:
            months_needed = int((Decimal(remaining) / pace).to_integral_value(ROUND_CEILING))
            projected_date = add_months(month_start(self.today), months_needed)
        deadline_passed = self.today > deadline
        if deadline_passed:
            projected_at_deadline = cumulative.get(month_start(deadline), trained)
        else:
            months_left = Decimal((deadline - self.today).days) / 30
            projected_at_deadline = trained + int(pace * months_left)
        end = max(deadline, self.today)
        if projected_date and projected_date > end:
            end = min(projected_date, add_months(self.today, 60))
        table = Table("progress", _("Trained managers against the target"),
                      [_("Month"), _("Trained (cumulative)"), _("Projected (cumulative)"),
                       _("Target")], kind="progress")
        for month in months_between(start, end):
            actual = cumulative.get(month)
            projected = None
            if month >= month_start(self.today):
                ahead = (month.year - self.today.year) * 12 + month.month - self.today.month
                projected = trained + int(pace * ahead)
            table.rows.append([month.strftime("%Y-%m"), actual, projected, goal or None])
        progress = Progress(
            target=target, trained=trained, remaining=remaining, pace_per_month=pace,
            projected_at_deadline=projected_at_deadline, projected_date=projected_date,
            reached_on=reached_on, deadline_passed=deadline_passed,
            days_to_deadline=None if deadline_passed else (deadline - self.today).days,
            on_track=(projected_at_deadline or 0) >= goal if goal else None,
        )
        return table, progress

    # --- who the trained managers are ---------------------------------------------------
    def _people(self) -> dict[tuple, int]:
        """Trained managers counted once per (level, route, district, kind): one pass that
        feeds four charts."""
        if self._people_cache is None:
            rows = (self.trained().annotate(
                lv=F("highest_level"), rt=route_expr(), ds=district_expr(), kd=kind_expr())
                .values("lv", "rt", "ds", "kd").annotate(n=Count("id")))
            self._people_cache = {(r["lv"], r["rt"], r["ds"], r["kd"]): r["n"] for r in rows}
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
        rows = (self.trained().values("trainee__manager_profile__fields")
                .annotate(n=Count("id")))
        counts = {r["trainee__manager_profile__fields"]: r["n"] for r in rows}
        for item in IndustryField.objects.all():
            if counts.get(item.pk) or item.is_priority:
                table.rows.append([item.name, counts.get(item.pk, 0)])
        if counts.get(None):
            table.rows.append([_("Not stated"), counts[None]])
        return table

    # --- the training system's activity ---------------------------------------------------
    def _month_range(self):
        start = self.target.baseline_date if self.target else add_months(self.today, -23)
        return months_between(start, self.today)

    def _enrolment_counts(self) -> dict[tuple, int]:
        """Enrolments counted per (month requested, level, status): one pass that feeds the
        monthly chart, the completion rates and the totals."""
        if self._enrolment_cache is None:
            rows = (self.enrolments().annotate(m=TruncMonth("created_at"))
                    .values("m", "cohort__programme__level", "status").annotate(n=Count("id")))
            self._enrolment_cache = {
                (_as_date(r["m"]), r["cohort__programme__level"], r["status"]): r["n"]
                for r in rows}
        return self._enrolment_cache

    def enrolments_by_month(self) -> Table:
        counts: dict = {}
        for (month, _level, _status), n in self._enrolment_counts().items():
            counts[month] = counts.get(month, 0) + n
        table = Table("enrolments", _("Enrolment requests per month"),
                      [_("Month"), _("Enrolments")])
        for month in self._month_range():
            table.rows.append([month.strftime("%Y-%m"), counts.get(month, 0)])
        return table

    def completion_by_level(self) -> Table:
        counts: dict = {}
        for (_month, level, status), n in self._enrolment_counts().items():
            counts[(level, status)] = counts.get((level, status), 0) + n
        table = Table("completion", _("Completion rate by level"),
                      [_("Level"), _("Completed"), _("Not completed"), _("Completion rate (%)")])
        for level, label in Level.choices:
            done = counts.get((level, EnrolmentStatus.COMPLETED), 0)
            not_done = counts.get((level, EnrolmentStatus.NOT_COMPLETED), 0)
            rate = (Decimal(done * 100) / (done + not_done)).quantize(Decimal("0.1")) \
                if done + not_done else None
            table.rows.append([str(label), done, not_done, rate])
        return table

    def hours_by_month(self) -> Table:
        """Person-hours of training delivered per month. City-wide from each session's
        running total; a scoped view sums its own trainees' attendance."""
        if is_city_wide(self.scope):
            rows = (Session.objects.annotate(m=TruncMonth("date")).values("m")
                    .annotate(h=Sum("credited_hours_total")))
        else:
            rows = (scoped(Attendance.objects.filter(status__in=CREDITED_ATTENDANCE),
                           self.scope, prefix="enrolment__")
                    .annotate(m=TruncMonth("session__date")).values("m")
                    .annotate(h=Sum("hours")))
        totals = {}
        for row in rows:
            month = _as_date(row["m"])
            totals[month] = totals.get(month, Decimal(0)) + (row["h"] or Decimal(0))
        table = Table("hours", _("Class hours delivered per month (person-hours)"),
                      [_("Month"), _("Class hours")])
        for month in self._month_range():
            table.rows.append([month.strftime("%Y-%m"), totals.get(month, Decimal(0))])
        return table

    def totals(self) -> dict:
        counts: dict = {}
        for (_month, _level, status), n in self._enrolment_counts().items():
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
