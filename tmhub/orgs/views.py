"""Organisation registry and institution-registration pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms import ReasonForm
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.orgs import services
from tmhub.orgs.change_request_views import identity_change_context
from tmhub.orgs.change_requests import IdentityChangeRequest
from tmhub.orgs.filters import OrganizationFilter, RegistrationFilter
from tmhub.orgs.forms import OrganizationForm, RegistrationForm
from tmhub.orgs.models import InstitutionRegistration, Organization
from tmhub.orgs.workflows import REGISTRATION_WORKFLOW


class OrganizationListView(RestrictedListView):
    model = Organization
    filterset_class = OrganizationFilter
    template_name = "orgs/organization_list.html"
    partial_template_name = "orgs/_organization_results.html"
    export_filename = "organizations"
    cache_results = True  # the same searches come again and again (core.result_cache)

    def base_queryset(self):
        return Organization.objects.select_related("district").filter(is_active=True)

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Name"), lambda o: o.name),
            ExportColumn(gettext_lazy("English name"), lambda o: o.name_en),
            ExportColumn(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
            ExportColumn(gettext_lazy("Unified social credit code"), lambda o: o.credit_code),
            ExportColumn(gettext_lazy("District"), lambda o: o.district),
            ExportColumn(gettext_lazy("Runs a transfer office"), lambda o: o.has_transfer_office),
            ExportColumn(gettext_lazy("Website"), lambda o: o.website),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Organization)
        context["can_review_identity_changes"] = policies.allows(
            self.request.user, "view_queue", IdentityChangeRequest
        )
        return context


def organization_detail(request, pk):
    organization = get_restricted_or_404(
        Organization.objects.select_related("district").prefetch_related("fields"),
        request.user, pk=pk,
    )
    registrations = InstitutionRegistration.objects.restrict(request.user).filter(
        organization=organization
    )
    return render(request, "orgs/organization_detail.html", {
        "organization": organization,
        "can_change": policies.allows(request.user, CHANGE, organization),
        "registrations": registrations,
        "can_register": policies.allows(request.user, "register_institution", organization),
        **identity_change_context(request.user, organization),
    })


@login_required
def organization_create(request):
    policies.require(request.user, "create", Organization)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        fields = data.pop("fields", [])
        try:
            organization = services.create_organization(actor=request.user, fields=fields, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Organisation created."))
            return redirect(organization)
    return render(request, "orgs/organization_form.html", {"form": form})


@login_required
def organization_edit(request, pk):
    organization = get_restricted_or_404(Organization, request.user, CHANGE, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        fields = data.pop("fields", None)
        try:
            organization = services.update_organization(
                Organization.objects.get(pk=pk), actor=request.user, fields=fields, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(organization)
    return render(request, "orgs/organization_form.html", {"form": form,
                                                           "organization": organization})


class RegistrationListView(RestrictedListView):
    model = InstitutionRegistration
    filterset_class = RegistrationFilter
    template_name = "orgs/registration_list.html"
    export_filename = "institution-registrations"

    def base_queryset(self):
        return InstitutionRegistration.objects.select_related(
            "organization", "organization__district"
        )

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Organisation"), lambda r: r.organization.name),
            ExportColumn(gettext_lazy("Registry number"), lambda r: r.registry_number),
            ExportColumn(gettext_lazy("Status"), lambda r: r.get_status_display()),
            ExportColumn(gettext_lazy("District"), lambda r: r.organization.district),
            ExportColumn(gettext_lazy("Full-time staff"), lambda r: r.fulltime_staff),
            ExportColumn(gettext_lazy("Submitted at"), lambda r: r.submitted_at),
        ]


def registration_detail(request, pk):
    registration = get_restricted_or_404(
        InstitutionRegistration.objects.select_related("organization"), request.user, pk=pk
    )
    return render(request, "orgs/registration_detail.html", {
        "registration": registration,
        "buttons": REGISTRATION_WORKFLOW.buttons(registration, request.user),
        "can_edit": policies.allows(request.user, "edit", registration),
        "show_history": policies.allows(request.user, "view_history", registration),
        "reason_form": ReasonForm(),
    })


@login_required
def registration_create(request, org_pk):
    organization = get_restricted_or_404(Organization, request.user, pk=org_pk)
    policies.require(request.user, "register_institution", organization)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.create_registration(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it when it is complete."))
            return redirect(registration)
    return render(request, "orgs/registration_form.html", {"form": form,
                                                           "organization": organization})


@login_required
def registration_edit(request, pk):
    registration = get_restricted_or_404(InstitutionRegistration, request.user, CHANGE, pk=pk)
    form = RegistrationForm(request.POST or None, instance=registration)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_registration(
                InstitutionRegistration.objects.get(pk=pk), actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(registration)
    return render(request, "orgs/registration_form.html", {
        "form": form, "organization": registration.organization, "registration": registration,
    })


@login_required
@require_POST
def registration_transition(request, pk, target):
    registration = get_restricted_or_404(InstitutionRegistration, request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.transition_registration(
            registration, target, actor=request.user, reason=form.cleaned_data.get("reason", ""),
            expected_status=registration.status,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("orgs:registration-detail", pk=pk)
