"""Pages of service needs and introductions (issue 14 item 2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.history import entries_for
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.network import needs
from tmhub.network.choices import NeedStatus
from tmhub.network.filters import IntroductionFilter, NeedFilter
from tmhub.network.forms import IntroduceForm, NeedForm
from tmhub.network.models import Introduction, ServiceNeed
from tmhub.network.views import take_step
from tmhub.network.workflows import INTRODUCTION_WORKFLOW, NEED_WORKFLOW


def _changeable_projects(user):
    from tmhub.transfer.models import Project

    return Project.objects.restrict(user, CHANGE).order_by("-started_on", "-pk")


class NeedListView(LoginRequiredMixin, RestrictedListView):
    """The needs of the user's projects, and those addressed to the user's provider."""

    model = ServiceNeed
    filterset_class = NeedFilter
    template_name = "network/need_list.html"
    export_filename = "network-service-needs"

    def base_queryset(self):
        return ServiceNeed.objects.select_related("project", "service_type", "field")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("What is needed"), lambda n: n.title),
            ExportColumn(gettext_lazy("Project"), lambda n: n.project.title),
            ExportColumn(gettext_lazy("Service type"), lambda n: n.service_type.name),
            ExportColumn(gettext_lazy("Budget"), lambda n: n.budget_text),
            ExportColumn(gettext_lazy("Deadline"), lambda n: n.deadline),
            ExportColumn(gettext_lazy("Status"), lambda n: n.get_status_display()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_post"] = _changeable_projects(self.request.user).exists()
        return context


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request):
    projects = _changeable_projects(request.user)
    if not projects.exists():
        raise Http404
    initial = {}
    if (wanted := request.GET.get("project", "")).isdigit():
        initial["project"] = projects.filter(pk=int(wanted)).first()
    form = NeedForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            need = needs.post_need(actor=request.user, project=data.pop("project"), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Need posted. Introduce the providers you choose."))
            return redirect(need)
    return render(request, "network/need_form.html", {"form": form, "title": _("New service need")})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request, pk):
    """Its owners (who change the project) edit an open need; anyone else gets a 404, and
    so does a need that is closed or cancelled. Every change is in the need's history."""
    need = get_restricted_or_404(ServiceNeed.objects.select_related("project"), request.user,
                                 CHANGE, pk=pk)
    if need.status != NeedStatus.OPEN:
        raise Http404
    form = NeedForm(request.POST or None, initial=NeedForm.initial_for(need))
    if request.method == "POST" and form.is_valid():
        try:
            needs.update_need(need, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(need)
    return render(request, "network/need_form.html", {
        "form": form, "title": _("Edit the service need"), "need": need})


@require_GET
@login_required
def need_detail(request, pk):
    need = get_restricted_or_404(
        ServiceNeed.objects.select_related("project", "service_type", "field", "district",
                                           "posted_by"), request.user, pk=pk)
    can_introduce = policies.allows(request.user, "introduce", need)
    introductions = (Introduction.objects.restrict(request.user, VIEW).filter(need=need)
                     .select_related("provider", "introduced_by", "answered_by"))
    ranked = (needs.rank_providers(need, user=request.user)
              if can_introduce and need.status == "open" else [])
    return render(request, "network/need_detail.html", {
        "need": need, "ranked": ranked, "introductions": introductions,
        "can_introduce": can_introduce,
        "can_edit": need.status == NeedStatus.OPEN and policies.allows(request.user, CHANGE,
                                                                      need),
        "project_visible": policies.allows(request.user, VIEW, need.project),
        "buttons": NEED_WORKFLOW.buttons(need, request.user),
        "entries": entries_for(need, request.user),
    })


@require_POST
@login_required
def need_introduce(request, pk):
    need = get_restricted_or_404(ServiceNeed, request.user, pk=pk)
    if not policies.allows(request.user, "introduce", need):
        raise Http404
    form = IntroduceForm(request.POST)
    if form.is_valid():
        try:
            needs.introduce(need, actor=request.user, provider=form.cleaned_data["provider"],
                            message=form.cleaned_data["message"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Introduction sent; the provider has been told."))
    else:
        messages.error(request, _("Choose a provider from the list."))
    return redirect(need)


@require_POST
@login_required
def need_step(request, pk, target):
    need = get_restricted_or_404(ServiceNeed, request.user, pk=pk)
    return take_step(request, need, lambda r, **kw: needs.step_need(r, target, **kw))


class IntroductionListView(LoginRequiredMixin, RestrictedListView):
    """Introductions: those made to the user's provider, and those the user's projects made."""

    model = Introduction
    filterset_class = IntroductionFilter
    template_name = "network/introduction_list.html"
    export_filename = "network-introductions"

    def base_queryset(self):
        return Introduction.objects.select_related("need", "provider", "need__project")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Service need"), lambda i: i.need.title),
            ExportColumn(pgettext_lazy("network", "Provider"), lambda i: i.provider.name),
            ExportColumn(gettext_lazy("Introduced at"), lambda i: i.created_at),
            ExportColumn(gettext_lazy("Status"), lambda i: i.get_status_display()),
        ]


@require_GET
@login_required
def introduction_detail(request, pk):
    introduction = get_restricted_or_404(
        Introduction.objects.select_related("need", "need__project", "need__service_type",
                                            "provider", "introduced_by", "answered_by"),
        request.user, pk=pk)
    from tmhub.network.models import Collaboration

    collaboration = (Collaboration.objects.restrict(request.user, VIEW)
                     .filter(introduction=introduction).first())
    can_start = (collaboration is None and introduction.status == "accepted"
                 and policies.allows(request.user, "create",
                                     Collaboration(project=introduction.need.project)))
    return render(request, "network/introduction_detail.html", {
        "introduction": introduction, "need": introduction.need,
        "collaboration": collaboration, "can_start": can_start,
        "project_visible": policies.allows(request.user, VIEW, introduction.need.project),
        "need_visible": policies.allows(request.user, VIEW, introduction.need),
        "buttons": INTRODUCTION_WORKFLOW.buttons(introduction, request.user),
        "entries": entries_for(introduction, request.user),
    })


@require_POST
@login_required
def introduction_step(request, pk, target):
    introduction = get_restricted_or_404(Introduction, request.user, pk=pk)
    return take_step(request, introduction, lambda r, **kw: needs.answer(r, target, **kw))


