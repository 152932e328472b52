"""Pages of financing rounds and the network's page of a project (issue 14 item 4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.history import entries_for
from tmhub.core.listing import RestrictedListView
from tmhub.core.roles import Role
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.network import financing as financing_services
from tmhub.network.choices import FinancingStatus
from tmhub.network.filters import FinancingFilter
from tmhub.network.forms import FinancingForm, ReverseForm
from tmhub.network.models import Collaboration, Financing, ServiceNeed
from tmhub.network.views import take_step
from tmhub.network.workflows import FINANCING_WORKFLOW
from tmhub.orgs.models import Organization


def _projects(user):
    from tmhub.transfer.models import Project

    return Project.objects.restrict(user, CHANGE).order_by("-started_on", "-pk")


def _companies(user, projects):
    scope = get_scope(user)
    if scope.is_municipal:
        return Organization.objects.filter(kind="enterprise", is_active=True)
    return Organization.objects.filter(
        Q(pk__in=scope.orgs(Role.ENTERPRISE))
        | Q(pk__in=projects.values("partners")), kind="enterprise", is_active=True)


class FinancingListView(LoginRequiredMixin, RestrictedListView):
    model = Financing
    filterset_class = FinancingFilter
    template_name = "network/financing_list.html"
    export_filename = "network-financing"

    def base_queryset(self):
        return Financing.objects.select_related("project", "company", "investor", "district",
                                                "reversal_of").prefetch_related("reversals")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Project"), lambda f: f.project.title if f.project else ""),
            ExportColumn(gettext_lazy("Company"), lambda f: f.company.name if f.company else ""),
            ExportColumn(gettext_lazy("Kind of financing"), lambda f: f.get_kind_display()),
            ExportColumn(gettext_lazy("Investor"), lambda f: f.investor_label),
            ExportColumn(gettext_lazy("Amount (fen)"), lambda f: f.amount_fen),
            ExportColumn(gettext_lazy("Date"), lambda f: f.financed_on),
            ExportColumn(gettext_lazy("Beijing fund"), lambda f: f.beijing_fund),
            ExportColumn(gettext_lazy("Reverses"), lambda f: f.reversal_of_id or ""),
            ExportColumn(gettext_lazy("Status"), lambda f: f.get_status_display()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        projects = _projects(self.request.user)
        context["can_record"] = (projects.exists()
                                 or _companies(self.request.user, projects).exists())
        return context


@login_required
@require_http_methods(["GET", "POST"])
def financing_create(request):
    projects = _projects(request.user)
    companies = _companies(request.user, projects)
    if not projects.exists() and not companies.exists():
        raise Http404
    initial = {}
    if (wanted := request.GET.get("project", "")).isdigit():
        initial["project"] = projects.filter(pk=int(wanted)).first()
    form = FinancingForm(request.POST or None, projects=projects, companies=companies,
                         initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            financing = financing_services.record_financing(
                actor=request.user, project=data.pop("project"), company=data.pop("company"),
                **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Financing round recorded. It counts in the figures "
                                        "once a second person approves it."))
            return redirect(financing)
    return render(request, "network/financing_form.html", {
        "form": form, "title": _("Record a financing round")})


@require_GET
@login_required
def financing_detail(request, pk):
    financing = get_restricted_or_404(
        Financing.objects.select_related("project", "company", "investor", "district",
                                         "field", "recorded_by", "decided_by", "reversal_of"),
        request.user, pk=pk)
    reversals = financing.reversals.select_related("recorded_by", "decided_by")
    open_reversal = financing.open_reversal()
    can_reverse = (open_reversal is None and financing.reversal_of_id is None
                   and financing.status == FinancingStatus.APPROVED
                   and policies.allows(request.user, "reverse", financing))
    return render(request, "network/financing_detail.html", {
        "financing": financing, "reversals": reversals, "open_reversal": open_reversal,
        "can_reverse": can_reverse, "reverse_form": ReverseForm(),
        "buttons": FINANCING_WORKFLOW.buttons(financing, request.user),
        "entries": entries_for(financing, request.user),
    })


@require_POST
@login_required
def financing_step(request, pk, target):
    """Approve or return a pending round (who may see it is sent back with the refusal)."""
    financing = get_restricted_or_404(Financing, request.user, pk=pk)
    return take_step(request, financing,
                     lambda r, **kw: financing_services.step(r, target, **kw))


@require_POST
@login_required
def financing_reverse(request, pk):
    financing = get_restricted_or_404(Financing, request.user, pk=pk)
    if not policies.allows(request.user, "reverse", financing):
        raise Http404
    try:
        reversal = financing_services.reverse_financing(
            financing, actor=request.user, reason=request.POST.get("reason", "")[:500])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The reversal is recorded; it takes effect once a second "
                                    "person approves it. Then record the right round anew."))
        return redirect(reversal)
    return redirect(financing)


@require_GET
@login_required
def project_network(request, pk):
    """The network's page of a transfer project: its service needs, collaborations and
    financing history (the transfer pages stay the transfer app's)."""
    from tmhub.transfer.models import Project

    project = get_restricted_or_404(Project.objects.select_related("institution", "field"),
                                    request.user, pk=pk)
    rounds = (Financing.objects.restrict(request.user, VIEW).filter(project=project)
              .select_related("company", "investor", "reversal_of").prefetch_related("reversals"))
    total = (Financing.objects.effective().filter(pk__in=rounds.values("pk"))
             .aggregate(total=Sum("amount_fen"))["total"] or 0)
    return render(request, "network/project_network.html", {
        "project": project,
        "needs": ServiceNeed.objects.restrict(request.user, VIEW).filter(project=project)
        .select_related("service_type"),
        "collaborations": Collaboration.objects.restrict(request.user, VIEW)
        .filter(project=project).select_related("provider"),
        "rounds": rounds, "total_text": Financing(amount_fen=total).amount_text,
        "can_post": policies.allows(request.user, "create", ServiceNeed(project=project)),
        "can_record": policies.allows(request.user, "create", Financing(project=project)),
    })
