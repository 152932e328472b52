"""The pilots' pages: the list, selecting a pilot, its record (KPIs, managers, reports,
linked contracts), the assignment page and the stage reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tmhub.core import policies
from tmhub.core.access import VIEW, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.params import positive_int
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.pilots import attainment, services
from tmhub.pilots.filters import PilotFilter
from tmhub.pilots.forms import (
    AssignForm,
    KpiForm,
    KpiReportForm,
    LinkContractForm,
    PilotForm,
    ReasonForm,
    ReportForm,
    StageDueForm,
)
from tmhub.pilots.models import Assignment, Pilot, PilotKpi, Programme, StageReport
from tmhub.pilots.recommend import candidates
from tmhub.pilots.workflows import PILOT_WORKFLOW, REPORT_WORKFLOW
from tmhub.transfer.rewards_engine import format_fen
from tmhub.transfer.views.common import step_buttons


def _pilot(request, pk):
    return get_restricted_or_404(
        Pilot.objects.select_related("programme", "institution", "district", "field"),
        request.user, pk=pk)


class PilotListView(LoginRequiredMixin, RestrictedListView):
    model = Pilot
    filterset_class = PilotFilter
    template_name = "pilots/home.html"
    export_filename = "pilots"

    def base_queryset(self):
        return Pilot.objects.select_related("programme", "institution", "district")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Project code"), lambda p: p.code),
            ExportColumn(gettext_lazy("Title"), lambda p: p.title),
            ExportColumn(gettext_lazy("Funding programme"), lambda p: p.programme.name),
            ExportColumn(gettext_lazy("Undertaking institution"), lambda p: p.institution.name),
            ExportColumn(gettext_lazy("Principal investigator"),
                         lambda p: p.principal_investigator),
            ExportColumn(gettext_lazy("Budget (yuan)"), lambda p: format_fen(p.budget_fen)),
            ExportColumn(gettext_lazy("District"),
                         lambda p: p.district.name if p.district_id else ""),
            ExportColumn(gettext_lazy("Stage"), lambda p: p.get_stage_display()),
            ExportColumn(gettext_lazy("Overall KPI attainment (%)"),
                         lambda p: p.overall_attainment if p.overall_attainment is not None
                         else ""),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Pilot)
        from tmhub.core.access import get_scope
        from tmhub.core.tabular.importing import REGISTRY

        scope = get_scope(self.request.user)
        context["can_import_kpis"] = REGISTRY["pilot-kpis"].can_import(scope)
        context["can_see_programmes"] = scope.is_municipal or (
            Programme.objects.restrict(self.request.user).exists())
        return context


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request):
    policies.require(request.user, "create", Pilot)
    form = PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pilot = services.select_pilot(actor=request.user, **form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project is selected as a pilot."))
            return redirect(pilot)
    return render(request, "pilots/pilot_form.html", {"form": form})


def _detail_context(request, pilot, **forms):
    user = request.user
    rows, overall = attainment.progress(pilot)
    can = {verb: policies.allows(user, verb, pilot)
           for verb in ("steer", "link", "report_kpi", "file_report")}
    reports = list(pilot.reports.select_related("author"))
    return {
        "pilot": pilot, "can": can, "kpi_rows": rows, "overall": overall,
        "can_see_programme": policies.allows(user, VIEW, pilot.programme),
        "assignments": pilot.assignments.select_related("manager", "replaced_by__manager"),
        "reports": reports,
        "can_file_now": can["file_report"] and pilot.stage != "closed"
        and not any(r.stage == pilot.stage for r in reports),
        "contracts": pilot.contracts.restrict(user).select_related("institution"),
        "projects": pilot.projects.restrict(user),
        "steps": step_buttons(PILOT_WORKFLOW, pilot, user,
                              lambda target: f"{pilot.get_absolute_url()}step/"),
        "kpi_form": forms.get("kpi_form") or KpiForm(prefix="k"),
        "report_form": KpiReportForm(prefix="v"),
        "due_form": StageDueForm(prefix="d", initial={"due_on": pilot.stage_due_on}),
        "link_form": forms.get("link_form") or (
            LinkContractForm(prefix="c", pilot=pilot, user=user) if can["link"] else None),
    }


@login_required
def pilot_detail(request, pk):
    pilot = _pilot(request, pk)
    return render(request, "pilots/pilot_detail.html", _detail_context(request, pilot))


@login_required
@require_http_methods(["POST"])
def kpi_add(request, pk):
    pilot = _pilot(request, pk)
    policies.require(request.user, "steer", pilot)
    form = KpiForm(request.POST, prefix="k")
    if form.is_valid():
        try:
            services.add_kpi(pilot, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("KPI added."))
            return redirect(pilot)
    return render(request, "pilots/pilot_detail.html",
                  _detail_context(request, pilot, kpi_form=form), status=400)


@login_required
@require_http_methods(["POST"])
def kpi_report(request, pk):
    kpi = get_restricted_or_404(PilotKpi.objects.select_related("pilot", "kpi_type"),
                                request.user, pk=pk)
    policies.require(request.user, "report_kpi", kpi.pilot)
    form = KpiReportForm(request.POST, prefix="v")
    if form.is_valid():
        try:
            services.report_kpi(kpi, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Value reported."))
    else:
        messages.error(request, " ".join(f"{form.fields[n].label}: {' '.join(e)}"
                                         for n, e in form.errors.items()))
    return redirect(kpi.pilot)


@login_required
@require_http_methods(["POST"])
def contract_link(request, pk):
    from tmhub.transfer.models import Contract

    pilot = _pilot(request, pk)
    policies.require(request.user, "link", pilot)
    unlink = positive_int(request.POST.get("unlink"))
    if unlink:
        contract = Contract.objects.restrict(request.user).filter(pk=unlink).first()
        if contract is None:
            raise Http404
        services.unlink_contract(pilot, actor=request.user, contract=contract)
        messages.success(request, _("Contract unlinked."))
        return redirect(pilot)
    form = LinkContractForm(request.POST, prefix="c", pilot=pilot, user=request.user)
    if form.is_valid():
        try:
            services.link_contract(pilot, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contract linked: it counts toward the KPIs."))
            return redirect(pilot)
    return render(request, "pilots/pilot_detail.html",
                  _detail_context(request, pilot, link_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    pilot = _pilot(request, pk)
    policies.require(request.user, "steer", pilot)
    initial = {}
    chosen = positive_int(request.GET.get("manager"))
    if chosen:
        initial["manager"] = chosen
    form = AssignForm(request.POST or None, pilot=pilot, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign_manager(pilot, actor=request.user, manager=data["manager"],
                                    mode=data["mode"], replaces=data["replaces"],
                                    reason=data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Manager assigned."))
            return redirect(pilot)
    return render(request, "pilots/assign.html", {
        "pilot": pilot, "form": form, "candidates": candidates(pilot, request.user)})


@login_required
@require_http_methods(["POST"])
def assignment_end(request, pk):
    assignment = get_restricted_or_404(Assignment.objects.select_related("pilot"),
                                       request.user, pk=pk)
    policies.require(request.user, "steer", assignment.pilot)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the assignment ends."))
        return redirect(assignment.pilot)
    try:
        services.end_assignment(assignment, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Assignment ended."))
    return redirect(assignment.pilot)


def take_step(request, obj, step):
    """The one shape of every step view: `step(obj, target, actor=, reason=)` with the posted
    target and reason; a refusal is shown as a message, and the page is shown again."""
    try:
        step(obj, request.POST.get("target", ""), actor=request.user,
             reason=request.POST.get("reason", "")[:1000])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect(obj)


@login_required
@require_http_methods(["POST"])
def stage_due(request, pk):
    pilot = _pilot(request, pk)
    policies.require(request.user, "steer", pilot)
    form = StageDueForm(request.POST, prefix="d")
    if form.is_valid():
        try:
            services.set_stage_due(pilot, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Due date saved: the manager is reminded before it."))
    else:
        messages.error(request, _("Give the date the report is due."))
    return redirect(pilot)


@login_required
@require_http_methods(["POST"])
def pilot_step(request, pk):
    return take_step(request, _pilot(request, pk), services.step_pilot)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    pilot = _pilot(request, pk)
    policies.require(request.user, "file_report", pilot)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.create_report(pilot, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report saved as a draft: submit it when it is ready."))
            return redirect(report)
    return render(request, "pilots/report_form.html", {"pilot": pilot, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    report = get_restricted_or_404(
        StageReport.objects.select_related("pilot__programme", "pilot__institution", "author"),
        request.user, pk=pk)
    can_edit = policies.allows(request.user, "edit", report)
    form = None
    if can_edit:
        form = ReportForm(request.POST or None, initial={
            "done": report.done, "risks": report.risks, "next_steps": report.next_steps,
            "kpi_progress": report.kpi_progress})
    elif request.method == "POST":
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_report(report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report saved."))
            return redirect(report)
    return render(request, "pilots/report_detail.html", {
        "report": report, "pilot": report.pilot, "form": form,
        "steps": step_buttons(REPORT_WORKFLOW, report, request.user,
                              lambda target: f"{report.get_absolute_url()}step/"),
    })


@login_required
@require_http_methods(["POST"])
def report_step(request, pk):
    report = get_restricted_or_404(StageReport.objects.select_related("pilot"), request.user,
                                   VIEW, pk=pk)
    return take_step(request, report, services.step_report)
