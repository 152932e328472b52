"""Pages that register providers and instructors and record continuing-education hours
earned outside the platform's cohorts (each a form in front of its service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tmhub.accounts.models import User
from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.roles import Role
from tmhub.training import services
from tmhub.training.forms import ExternalHoursForm, InstructorForm, ProviderForm
from tmhub.training.models import ExternalHours, TrainingProvider
from tmhub.training.views.common import form_page


@login_required
def provider_create(request):
    """Municipal administrators register a training provider."""
    if not policies.allows(request.user, "create", TrainingProvider):
        raise Http404
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_provider(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Provider registered."))
            return redirect("training:home")
    return form_page(request, {"form": form, "title": _("New training provider")})


@login_required
def instructor_create(request, provider_pk):
    """The provider's administrators (or the city) add a teacher or industry mentor."""
    provider = get_restricted_or_404(TrainingProvider, request.user, pk=provider_pk)
    if not policies.allows(request.user, "manage", provider):
        raise Http404
    form = InstructorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        fields = data.pop("fields", [])
        try:
            services.create_instructor(actor=request.user, provider=provider, fields=fields,
                                       **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Instructor added."))
            return redirect("training:instructor-list")
    return form_page(request, {"form": form, "title": _("New instructor"),
                               "subtitle": provider.name})


def _own_managers(scope):
    """The managers of the institutions the user administers (whose hours they record)."""
    return (User.objects.filter(
        memberships__role=Role.MANAGER, memberships__is_active=True,
        memberships__organization__in=scope.orgs(Role.INSTITUTION_ADMIN), is_active=True)
        .distinct().order_by("display_name", "username"))


@login_required
def external_hours_create(request):
    """An institution administrator records hours one of its managers earned elsewhere."""
    if not policies.allows(request.user, "create", ExternalHours):
        raise Http404
    form = ExternalHoursForm(request.POST or None,
                             candidates=_own_managers(get_scope(request.user)))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_external_hours(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Class hours recorded."))
            return redirect(reverse("training:external-hours-create"))
    return form_page(request, {"form": form, "title": _("Record external training hours")})
