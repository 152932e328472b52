"""Demand pages: list, record, detail (contact only for those who may see it), publish/close."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.transfer import services
from tmhub.transfer.choices import DemandStatus
from tmhub.transfer.filters import DemandFilter
from tmhub.transfer.forms import DemandForm
from tmhub.transfer.models import Demand
from tmhub.transfer.views.common import back, run_step, step_buttons
from tmhub.transfer.workflows import DEMAND_WORKFLOW

# What each step of DEMAND_WORKFLOW says once taken.
DONE = {
    DemandStatus.PUBLISHED: gettext_lazy("Demand published."),
    DemandStatus.CLOSED: gettext_lazy("Demand closed."),
}


class DemandListView(RestrictedListView):
    model = Demand
    filterset_class = DemandFilter
    template_name = "transfer/demand_list.html"
    partial_template_name = "transfer/_demand_results.html"
    export_filename = "demands"
    cache_results = True  # the same searches come again and again (core.result_cache)

    def base_queryset(self):
        return Demand.objects.select_related("organization", "field", "district")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Title"), lambda d: d.title),
            ExportColumn(gettext_lazy("Enterprise"), lambda d: d.organization.name),
            ExportColumn(gettext_lazy("Industry field"), lambda d: d.field),
            ExportColumn(gettext_lazy("District"), lambda d: d.district),
            ExportColumn(gettext_lazy("Budget from (yuan)"),
                         lambda d: d.budget_min_fen / 100 if d.budget_min_fen else None),
            ExportColumn(gettext_lazy("Budget up to (yuan)"),
                         lambda d: d.budget_max_fen / 100 if d.budget_max_fen else None),
            ExportColumn(gettext_lazy("Deadline"), lambda d: d.deadline),
            ExportColumn(gettext_lazy("Status"), lambda d: d.get_status_display()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Demand)
        return context


def demand_detail(request, pk):
    demand = get_restricted_or_404(
        Demand.objects.select_related("organization", "field", "district"), request.user, pk=pk)
    return render(request, "transfer/demand_detail.html", {
        "demand": demand,
        "can_change": policies.allows(request.user, CHANGE, demand),
        "steps": step_buttons(
            DEMAND_WORKFLOW, demand, request.user,
            lambda target: reverse("transfer:demand-transition", args=[pk, target])),
        "projects": demand.projects.restrict(request.user),
    })


def _deadline_from_today(form, kept=None):
    """The date picker starts at today (the service refuses a past deadline); a deadline kept
    from before that has since passed stays editable, so then no lower bound is set."""
    today = timezone.localdate()
    if "deadline" in form.fields and not (kept and kept < today):
        form.fields["deadline"].widget.attrs["min"] = today.isoformat()
    return form


@login_required
def demand_create(request):
    policies.require(request.user, "create", Demand)
    form = _deadline_from_today(DemandForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.create_demand(actor=request.user,
                                            organization=form.cleaned_data["organization"],
                                            **form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Demand saved as a draft. Publish it when ready."))
            return redirect(demand)
    return render(request, "transfer/demand_form.html", {"form": form})


@login_required
def demand_edit(request, pk):
    demand = get_restricted_or_404(Demand, request.user, CHANGE, pk=pk)
    form = _deadline_from_today(
        DemandForm(request.POST or None, instance=demand, user=request.user), demand.deadline
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_demand(Demand.objects.get(pk=pk), actor=request.user,
                                   **form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(demand)
    return render(request, "transfer/demand_form.html", {"form": form, "demand": demand})


@login_required
@require_POST
def demand_transition(request, pk, target):
    demand = get_restricted_or_404(Demand, request.user, pk=pk)
    run_step(request, services.step_demand, demand, target,
             reason=request.POST.get("reason", ""), success=DONE.get(target))
    return back(demand)
