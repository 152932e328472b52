"""The network pages: the public directory and provider pages, the catalogue and its review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import VIEW, get_restricted_or_404, get_scope
from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.history import entries_for
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.network import services
from tmhub.network.choices import ServiceStatus
from tmhub.network.filters import DirectoryFilter, ServiceFilter
from tmhub.network.forms import ProviderChoiceForm, ServiceForm
from tmhub.network.models import ProviderService
from tmhub.network.policies import providers_of
from tmhub.network.workflows import SERVICE_WORKFLOW
from tmhub.orgs.models import Organization

PUBLIC = Q(network_services__status=ServiceStatus.PUBLISHED)


class DirectoryView(RestrictedListView):
    """`/network/`: every provider with a public service, searchable and filterable."""

    model = Organization
    filterset_class = DirectoryFilter
    template_name = "network/directory.html"
    export_filename = "network-providers"

    def base_queryset(self):
        public = (ProviderService.objects.filter(status=ServiceStatus.PUBLISHED)
                  .select_related("service_type").prefetch_related("fields", "districts"))
        return (Organization.objects.filter(kind__in=SERVICE_PROVIDER_KINDS, is_active=True)
                .annotate(public_services=Count("network_services", filter=PUBLIC))
                .filter(public_services__gt=0).select_related("district")
                .order_by("name_pinyin", "pk")
                .prefetch_related("fields", Prefetch("network_services", queryset=public,
                                                     to_attr="public_list")))

    def get_export_columns(self):
        return [
            ExportColumn(pgettext_lazy("network", "Provider"), lambda o: o.name),
            ExportColumn(gettext_lazy("Kind of provider"), lambda o: o.get_kind_display()),
            ExportColumn(gettext_lazy("District"),
                         lambda o: o.district.name if o.district else ""),
            ExportColumn(gettext_lazy("Services"),
                         lambda o: "; ".join(s.service_type.name for s in o.public_list)),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = get_scope(self.request.user)
        context["can_add"] = self.request.user.is_authenticated and providers_of(scope).exists()
        context["is_city"] = scope.is_municipal
        return context


@require_GET
def provider_detail(request, pk):
    """A provider's public page: its public services (and, for its own users and the city,
    every entry of its catalogue with its review state)."""
    org = get_object_or_404(Organization.objects.select_related("district"), pk=pk,
                            kind__in=SERVICE_PROVIDER_KINDS)
    entries = (ProviderService.objects.restrict(request.user, VIEW).filter(provider=org)
               .select_related("service_type").prefetch_related("fields", "districts"))
    from tmhub.network.choices import RaterSide
    from tmhub.network.models import Rating

    ratings = (Rating.objects.restrict(request.user, VIEW)
               .filter(collaboration__provider=org, rater_side=RaterSide.CLIENT)
               .select_related("collaboration").order_by("-created_at")[:20])
    ratings = list(ratings)
    average = (sum(r.overall for r in ratings) / len(ratings)) if ratings else None
    return render(request, "network/provider_detail.html", {
        "org": org, "entries": entries, "ratings": ratings,
        "average": f"{average:.2f}" if average is not None else "",
        "can_add": policies.allows(request.user, "create", ProviderService(provider=org)),
    })


class ServiceListView(LoginRequiredMixin, RestrictedListView):
    """The catalogue entries the user may see: a provider's own, the city's review queue."""

    model = ProviderService
    filterset_class = ServiceFilter
    template_name = "network/service_list.html"
    export_filename = "network-services"

    def base_queryset(self):
        return ProviderService.objects.select_related("provider", "service_type")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Title"), lambda s: s.title),
            ExportColumn(pgettext_lazy("network", "Provider"), lambda s: s.provider.name),
            ExportColumn(gettext_lazy("Service type"), lambda s: s.service_type.name),
            ExportColumn(gettext_lazy("Terms"), lambda s: s.price_text),
            ExportColumn(gettext_lazy("Status"), lambda s: s.get_status_display()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = providers_of(get_scope(self.request.user)).exists()
        return context


def _form_data(form) -> dict:
    return dict(form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def service_create(request):
    providers = providers_of(get_scope(request.user))
    if not providers.exists():
        raise Http404
    chooser = ProviderChoiceForm(request.POST or None, providers=providers,
                                 initial={"provider": providers.first()})
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and chooser.is_valid() and form.is_valid():
        try:
            service = services.create_service(actor=request.user,
                                              provider=chooser.cleaned_data["provider"],
                                              **_form_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved as a draft. Submit it for city review when "
                                        "it is complete."))
            return redirect(service)
    return render(request, "network/service_form.html", {
        "forms": [chooser, form], "title": _("New service")})


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    service = get_restricted_or_404(ProviderService, request.user, "change", pk=pk)
    form = ServiceForm(request.POST or None, initial=ServiceForm.initial_for(service))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_service(service, actor=request.user, **_form_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(service)
    return render(request, "network/service_form.html", {
        "forms": [form], "title": _("Edit service"), "service": service})


@require_GET
def service_detail(request, pk):
    service = get_restricted_or_404(
        ProviderService.objects.select_related("provider", "service_type")
        .prefetch_related("fields", "districts"), request.user, pk=pk)
    return render(request, "network/service_detail.html", {
        "service": service, "buttons": SERVICE_WORKFLOW.buttons(service, request.user),
        "can_edit": policies.allows(request.user, "change", service),
        "entries": entries_for(service, request.user),
    })


def take_step(request, record, step):
    """One workflow step posted from a record's page: `step(record, actor=, reason=)` is the
    service's, its refusal is shown as messages; back to the record either way."""
    try:
        step(record, actor=request.user, reason=request.POST.get("reason", "")[:500])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Step recorded."))
    return redirect(record)


@require_POST
def service_step(request, pk, target):
    service = get_restricted_or_404(ProviderService, request.user, pk=pk)
    return take_step(request, service, lambda r, **kw: services.step(r, target, **kw))


COVERAGE_MINIMUM = 2  # fewer providers than this for a field and a service type is a gap


@login_required
@require_GET
def coverage(request):
    """The city's view of the network: for each priority field and service type, how many
    providers offer it publicly; cells under the minimum are the coverage gaps."""
    from tmhub.core.models import IndustryField
    from tmhub.network.models import ServiceType

    if not get_scope(request.user).is_municipal:
        raise Http404
    fields = list(IndustryField.objects.filter(is_priority=True).order_by("sort_order", "pk"))
    types = list(ServiceType.objects.filter(is_active=True))
    counts = {}
    rows = (ProviderService.objects.filter(status=ServiceStatus.PUBLISHED,
                                           fields__in=fields)
            .values("fields", "service_type").annotate(n=Count("provider", distinct=True)))
    for row in rows:
        counts[(row["fields"], row["service_type"])] = row["n"]
    table, gaps = [], 0
    for kind in types:
        cells = []
        for field in fields:
            n = counts.get((field.pk, kind.pk), 0)
            gaps += n < COVERAGE_MINIMUM
            cells.append({"n": n, "gap": n < COVERAGE_MINIMUM})
        table.append({"type": kind, "cells": cells})
    if (fmt := request.GET.get("export")) in {"xlsx", "csv"}:
        from tmhub.core.tabular.exporting import export_rows

        columns = [ExportColumn(gettext_lazy("Service type"), lambda row: row["type"].name)]
        columns += [ExportColumn(field.name, lambda row, i=i: row["cells"][i]["n"])
                    for i, field in enumerate(fields)]
        return export_rows(table, columns, fmt, "network-coverage")
    return render(request, "network/coverage.html", {
        "fields": fields, "table": table, "gaps": gaps, "minimum": COVERAGE_MINIMUM,
        "can_export": True, "querystring": ""})
