"""The oversight pages: plans, their targets and tasks, and the departments' progress reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import metrics, policies
from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.history import yuan
from tmhub.insights import selectors, services
from tmhub.insights.choices import TaskKind
from tmhub.insights.figures import target_progress
from tmhub.insights.forms import PlanForm, ReportEditForm, ReportForm, ReviewForm, TargetForm
from tmhub.insights.models import Plan, PlanTask, TaskReport
from tmhub.insights.policies import is_conference_member, plan_departments


def figure_rows(report) -> list[tuple[str, str]]:
    """The report's pulled figures named in the reader's language (the registry's label; a figure
    whose metric is no longer registered shows its key), money in yuan."""
    rows = []
    for f in report.figures or []:
        value = f.get("value")
        shown = yuan(value) if f.get("unit") == metrics.FEN and value is not None else value
        try:
            label = str(metrics.get(f.get("key", "")).label)
        except LookupError:  # a figure whose metric is no longer registered: its key
            label = f.get("key", "")
        rows.append((label, shown))
    return rows


def _member_or_404(request):
    if not is_conference_member(get_scope(request.user)):
        raise Http404


@login_required
@require_http_methods(["GET"])
def home(request):
    """Every plan, the one in force first; a closed plan with its final attainment."""
    _member_or_404(request)
    today = timezone.localdate()
    plans = list(Plan.objects.restrict(request.user).prefetch_related("targets")
                 .select_related("predecessor"))
    rows = [{"plan": p, "closed": p.is_closed(today),
             "progress": [target_progress(t, today) for t in p.targets.all()]} for p in plans]
    return render(request, "insights/home.html", {
        "rows": rows, "today": today,
        "may_create": policies.allows(request.user, "create", Plan)})


@login_required
@require_http_methods(["GET"])
def plan_detail(request, pk):
    """The joint conference's page: targets, every key task with who owes what, the measures."""
    plan = get_restricted_or_404(Plan.objects.select_related("predecessor"), request.user, pk=pk)
    today = timezone.localdate()
    key_tasks, measures = selectors.overview(plan, request.user, today)
    successor = Plan.objects.restrict(request.user).filter(predecessor=plan).first()
    return render(request, "insights/plan_detail.html", {
        "plan": plan, "today": today, "closed": plan.is_closed(today),
        "progress": [target_progress(t, today) for t in plan.targets.all()],
        "key_tasks": key_tasks, "measures": measures, "successor": successor,
        "due_days": selectors.REPORT_DUE_DAYS,
        "may_manage": policies.allows(request.user, "manage", plan),
    })


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """Enter a plan; `?after=<pk>` makes it the successor of a plan."""
    _member_or_404(request)
    if not policies.allows(request.user, "create", Plan):
        raise Http404
    predecessor = None
    after = request.GET.get("after", "")
    if after:
        if not after.isdigit():
            raise Http404
        predecessor = get_restricted_or_404(Plan, request.user, pk=after)
    initial = {}
    if predecessor is not None:
        start = predecessor.end.replace(year=predecessor.end.year + 1, month=1, day=1)
        initial = {"start": start, "end": start.replace(year=start.year + 4, month=12, day=31)}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, predecessor=predecessor,
                                        **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The plan is entered; add its targets."))
            return redirect(plan)
    title = _("Successor plan") if predecessor else _("New plan")
    return render(request, "insights/form.html", {"form": form, "title": title,
                                                  "back": predecessor})


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request, pk):
    plan = get_restricted_or_404(Plan, request.user, pk=pk)
    if not policies.allows(request.user, "manage", plan):
        raise Http404
    form = TargetForm(request.POST or None, initial={"due_on": plan.end})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_target(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Target added."))
            return redirect(plan)
    return render(request, "insights/form.html", {"form": form, "title": _("New target"),
                                                  "back": plan})


@login_required
@require_http_methods(["GET"])
def task_detail(request, pk):
    task = get_restricted_or_404(PlanTask.objects.select_related("plan"), request.user, pk=pk)
    reports = (TaskReport.objects.restrict(request.user).filter(task=task)
               .select_related("filed_by").order_by("-period_end", "department"))
    departments = task.departments_in_order()
    owed = [o for o in selectors.owed_reports(task.plan, timezone.localdate())
            if o.task.pk == task.pk] if task.kind == TaskKind.KEY_TASK else []
    overdue = [{"department": d, "owed": [o for o in owed if o.department == d.department]}
               for d in departments]
    return render(request, "insights/task_detail.html", {
        "task": task, "departments": departments, "reports": reports,
        "overdue": [row for row in overdue if row["owed"]],
        "due_days": selectors.REPORT_DUE_DAYS,
        "may_file": task.kind == TaskKind.KEY_TASK and policies.allows(request.user, "file", task),
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    task = get_restricted_or_404(PlanTask.objects.select_related("plan"), request.user, pk=pk)
    if task.kind != TaskKind.KEY_TASK or not policies.allows(request.user, "file", task):
        raise Http404
    mine = plan_departments(get_scope(request.user))
    departments = [d.department for d in task.departments_in_order() if d.department in mine]
    today = timezone.localdate()
    periods = selectors.quarters_ended(task.plan, today)[::-1]
    form = ReportForm(request.POST or None, departments=departments, periods=periods)
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["period"]
        try:
            report = services.file_report(
                actor=request.user, task=task, department=form.cleaned_data["department"],
                period_start=start, period_end=end, narrative=form.cleaned_data["narrative"],
                measures=form.cleaned_data["measures"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved with the platform's figures; check it "
                                        "and submit it to the lead department."))
            return redirect(report)
    return render(request, "insights/form.html", {"form": form, "title": _("New progress report"),
                                                  "subtitle": task, "back": task})


@login_required
@require_http_methods(["GET"])
def report_detail(request, pk):
    report = get_restricted_or_404(TaskReport.objects.select_related("task__plan", "filed_by",
                                                                     "reviewed_by"),
                                   request.user, pk=pk)
    may_review = policies.allows(request.user, "review", report)
    return render(request, "insights/report_detail.html", {
        "report": report, "object": report, "figure_rows": figure_rows(report),
        "may_edit": policies.allows(request.user, "edit", report),
        "may_review": may_review, "review_form": ReviewForm() if may_review else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = get_restricted_or_404(TaskReport.objects.select_related("task"), request.user, pk=pk)
    if not policies.allows(request.user, "edit", report):
        raise Http404
    form = ReportEditForm(request.POST or None, initial={"narrative": report.narrative,
                                                         "measures": report.measures})
    if request.method == "POST" and form.is_valid():
        services.edit_report(actor=request.user, report=report, **form.cleaned_data)
        messages.success(request, _("Report saved."))
        return redirect(report)
    return render(request, "insights/form.html", {"form": form, "title": _("Edit report"),
                                                  "subtitle": report.task, "back": report})


@login_required
@require_POST
def report_submit(request, pk):
    report = get_restricted_or_404(TaskReport, request.user, pk=pk)
    if not policies.allows(request.user, "submit", report):
        raise Http404
    services.submit_report(actor=request.user, report=report)
    messages.success(request, _("Report submitted to the lead department."))
    return redirect(report)


@login_required
@require_POST
def report_review(request, pk):
    report = get_restricted_or_404(TaskReport.objects.select_related("task__plan"),
                                   request.user, pk=pk)
    if not policies.allows(request.user, "review", report):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_report(actor=request.user, report=report,
                                   accept=form.cleaned_data["decision"] == "accept",
                                   note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(report)
    return render(request, "insights/report_detail.html", {
        "report": report, "object": report, "figure_rows": figure_rows(report),
        "may_edit": False, "may_review": True, "review_form": form}, status=400)

