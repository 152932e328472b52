"""Project pages: list, kanban board by stage, timeline, stage moves (and their gates),
stage evidence, managers, activities."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.audit import history_for
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.transfer import gates, selectors, services
from tmhub.transfer.choices import STAGE_ORDER, TransferEvent
from tmhub.transfer.filters import ProjectFilter
from tmhub.transfer.forms import ActivityForm, AssignForm, MoveForm, ProjectForm
from tmhub.transfer.forms_evidence import EvidenceForm
from tmhub.transfer.models import Project, ProjectAssignment, ProjectEvidence
from tmhub.transfer.views.common import StepButton, back, run_step, step_buttons
from tmhub.transfer.workflows import STAGE_OVERRIDE_WORKFLOW, STAGE_WORKFLOW, is_forward

BOARD_LIMIT = 40  # cards per column; the list page has everything


def _with_managers(queryset):
    return queryset.select_related("institution").prefetch_related(
        Prefetch(
            "assignments",
            queryset=ProjectAssignment.objects.filter(released_on__isnull=True).select_related(
                "user"
            ),
            to_attr="active_assignments",
        )
    )


class ProjectListView(RestrictedListView):
    model = Project
    filterset_class = ProjectFilter
    template_name = "transfer/project_list.html"
    partial_template_name = "transfer/_project_results.html"
    export_filename = "transfer-projects"

    def base_queryset(self):
        return _with_managers(Project.objects.all())

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Title"), lambda p: p.title),
            ExportColumn(gettext_lazy("Institution"), lambda p: p.institution.name),
            ExportColumn(gettext_lazy("Stage"), lambda p: p.get_stage_display()),
            ExportColumn(
                gettext_lazy("Managers"),
                lambda p: ", ".join(str(a.user) for a in p.active_assignments),
            ),
            ExportColumn(gettext_lazy("Start date"), lambda p: p.started_on),
            ExportColumn(gettext_lazy("Landing date"), lambda p: p.landed_on),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Project)
        return context


@dataclass(frozen=True)
class GatedStep(StepButton):
    """A stage move as drawn, with what its stage gate still needs (“needs: a signed
    contract”), shown before the move is tried."""

    needs: str = ""


def _stage_steps(project, user, *, only=None):
    """The stage moves `user` may take on `project`, posted to the move view with the version
    the page was drawn from."""
    url = reverse("transfer:project-move", args=[project.pk])
    steps = step_buttons(
        STAGE_WORKFLOW,
        project,
        user,
        lambda target: url,
        hidden=(("version", project.version),),
        only=only,
        prefix=lambda b: "→ " if is_forward(b) else "",
    )
    return [
        GatedStep(
            button=s.button,
            url=s.url,
            hidden=s.hidden,
            prefix=s.prefix,
            needs=gates.gate(project, s.target).needs if s.blocked else "",
        )
        for s in steps
    ]


def _override_steps(project, user):
    """The municipal override of each gate still closed ahead of `project` (none when the
    user may not override, or when every gate ahead is open)."""
    url = reverse("transfer:project-move", args=[project.pk])
    steps = step_buttons(
        STAGE_OVERRIDE_WORKFLOW,
        project,
        user,
        lambda target: url,
        hidden=(("version", project.version), ("override", "1")),
    )
    return [s for s in steps if not s.blocked]


def _board_context(request):
    projects = _with_managers(Project.objects.restrict(request.user)).order_by("-updated_at")
    columns = selectors.stage_board(projects, limit=BOARD_LIMIT)
    gates.prime([p for _stage, _count, cards in columns for p in cards])  # rules read once
    for _stage, _count, cards in columns:
        for project in cards:  # forward moves only: going back needs a reason, on the page
            project.steps = _stage_steps(project, request.user, only=is_forward)
    return {"columns": columns}


@login_required
def project_board(request):
    """Kanban of the user's projects by stage; moves are HTMX posts (buttons or drag)."""
    context = _board_context(request)
    if getattr(request, "htmx", False):
        return render(request, "transfer/_board.html", context)
    return render(request, "transfer/project_board.html", context)


@login_required
def project_detail(request, pk):
    project = get_restricted_or_404(_with_managers(Project.objects.all()), request.user, pk=pk)
    may_change = policies.allows(request.user, CHANGE, project)
    _changes, events = history_for(project)
    activities = list(project.activities.select_related("manager", "counterpart")[:200])
    stage_events = list(events.filter(to_state__in=STAGE_ORDER)[:100])
    for event in stage_events:  # an override reads apart in the timeline, with its reason
        event.is_override = event.event_type == TransferEvent.STAGE_GATE_OVERRIDDEN
    gates.prime([project])
    timeline = sorted(
        [(a.occurred_at, "activity", a) for a in activities]
        + [(e.time, "stage", e) for e in stage_events],
        key=lambda entry: entry[0],
        reverse=True,
    )
    return render(
        request,
        "transfer/project_detail.html",
        {
            "project": project,
            "can_change": may_change,
            "steps": _stage_steps(project, request.user) if may_change else [],
            "override_steps": _override_steps(project, request.user),
            "gates": gates.gates(project),
            "evidence": project.evidence.select_related("recorded_by"),
            "evidence_form": EvidenceForm(),
            "timeline": timeline,
            "assignments": project.assignments.select_related("user"),
            "releasable": set(
                ProjectAssignment.objects.restrict(request.user, CHANGE)
                .filter(project=project)
                .values_list("pk", flat=True)
            ),
            "contracts": project.contracts.restrict(request.user),
            "achievements": project.achievements.restrict(request.user),
            "demands": project.demands.restrict(request.user),
            "assign_form": AssignForm(),
            "activity_form": ActivityForm(project=project, initial={"manager": request.user.pk}),
        },
    )


@login_required
def project_create(request):
    policies.require(request.user, "create", Project)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            project = services.create_project(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project opened at the discovery stage."))
            return redirect(project)
    return render(request, "transfer/project_form.html", {"form": form})


@login_required
def project_edit(request, pk):
    project = get_restricted_or_404(Project, request.user, CHANGE, pk=pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != "version"}
        try:
            services.update_project(
                project,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(project)
    return render(request, "transfer/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_move(request, pk):
    project = get_restricted_or_404(Project, request.user, pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        override = request.POST.get("override") == "1"  # the municipal override
        run_step(
            request,
            services.move_project,
            project,
            form.cleaned_data["target"],
            reason=form.cleaned_data.get("reason") or "",
            expected_version=form.cleaned_data.get("version"),
            override=override,
            success=_("Moved past the stage gate; the override is recorded.")
            if override
            else _("Stage changed."),
        )
    if getattr(request, "htmx", False) and request.POST.get("from") == "board":
        response = render(request, "transfer/_board.html", _board_context(request))
        return response
    if request.POST.get("from") == "board":
        return redirect("transfer:project-board")
    return back(project)


@login_required
@require_POST
def project_assign(request, pk):
    project = get_restricted_or_404(Project, request.user, CHANGE, pk=pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        run_step(
            request,
            services.assign_manager,
            project,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            success=_("Manager assigned."),
        )
    else:
        messages.error(request, _("Choose a manager."))
    return back(project)


@login_required
@require_POST
def project_release(request, pk):
    # The assignment's own policy: the institution, the lead, or the manager themselves.
    assignment = get_restricted_or_404(
        ProjectAssignment.objects.select_related("project"), request.user, CHANGE, pk=pk
    )
    run_step(request, services.release_manager, assignment, success=_("Manager released."))
    return back(assignment.project)


@login_required
@require_POST
def project_activity(request, pk):
    project = get_restricted_or_404(Project, request.user, CHANGE, pk=pk)
    form = ActivityForm(request.POST, project=project)
    if form.is_valid():
        data = dict(form.cleaned_data)
        run_step(
            request, services.record_activity, project, success=_("Activity recorded."), **data
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return back(project)


@login_required
@require_POST
def project_evidence(request, pk):
    """Record stage evidence (a report, a company founded, an investment) on a project."""
    project = get_restricted_or_404(Project, request.user, CHANGE, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        run_step(
            request,
            services.record_evidence,
            project,
            success=_("Evidence recorded."),
            **form.service_kwargs(),
        )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return back(project)


@login_required
def evidence_download(request, pk):
    """A piece of evidence's file, for those who see its project (never from the web root)."""
    evidence = get_object_or_404(ProjectEvidence, pk=pk)
    policies.require(request.user, "view", evidence)  # ProjectEvidencePolicy: with the project
    if not evidence.file:
        raise Http404
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
