"""The funding programmes' pages: the list, a new programme, and a programme's page where the
city names and removes its programme officers (who then read and steer its pilots, or no
longer do)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.pilots import services
from tmhub.pilots.filters import ProgrammeFilter
from tmhub.pilots.forms import OfficerAddForm, OfficerRemoveForm, ProgrammeForm
from tmhub.pilots.models import Pilot, Programme


def _officer_names(programme) -> str:
    return ", ".join(str(u) for u in programme.officers.all())


class ProgrammeListView(LoginRequiredMixin, RestrictedListView):
    model = Programme
    filterset_class = ProgrammeFilter
    template_name = "pilots/programme_list.html"
    export_filename = "funding-programmes"

    def base_queryset(self):
        return (Programme.objects.annotate(pilot_count=Count("pilots", distinct=True))
                .prefetch_related("officers").order_by("code"))

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Programme code"), lambda p: p.code),
            ExportColumn(gettext_lazy("Funding programme"), lambda p: p.name),
            ExportColumn(gettext_lazy("Programme kind"), lambda p: p.get_kind_display()),
            ExportColumn(gettext_lazy("Funding department"),
                         lambda p: p.get_department_display()),
            ExportColumn(gettext_lazy("Programme officers"), _officer_names),
            ExportColumn(gettext_lazy("Pilots"), lambda p: p.pilot_count),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Programme)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    policies.require(request.user, "create", Programme)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Programme saved: name its programme officers."))
            return redirect(programme)
    return render(request, "pilots/programme_form.html", {"form": form})


def _programme(request, pk):
    return get_restricted_or_404(Programme.objects.all(), request.user, pk=pk)


def _officer_rows(programme):
    """Each named officer, and whether they still hold the funding department's officer role
    (one who has left it is still named but sees none of the programme's pilots)."""
    current = set(services.eligible_officers(programme.department).filter(
        pk__in=programme.officers.values("pk")).values_list("pk", flat=True))
    return [{"user": u, "effective": u.pk in current}
            for u in programme.officers.order_by("display_name", "username")]


def _detail(request, programme, add_form=None, status=200):
    manage = policies.allows(request.user, "manage_officers", programme)
    pilots = (Pilot.objects.restrict(request.user).filter(programme=programme)
              .select_related("institution").order_by("-selected_on", "code"))
    return render(request, "pilots/programme_detail.html", {
        "programme": programme, "manage": manage, "officers": _officer_rows(programme),
        "add_form": (add_form or OfficerAddForm(programme=programme)) if manage else None,
        "pilots": pilots[:20], "pilot_count": pilots.count(),
    }, status=status)


@login_required
@require_http_methods(["GET"])
def programme_detail(request, pk):
    return _detail(request, _programme(request, pk))


@login_required
@require_POST
def officer_add(request, pk):
    programme = _programme(request, pk)
    policies.require(request.user, "manage_officers", programme)
    form = OfficerAddForm(request.POST, programme=programme)
    if form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            services.add_programme_officer(programme, actor=request.user, officer=officer)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is now a programme officer: they see the "
                                        "programme's pilots.") % {"name": officer})
            return redirect(programme)
    return _detail(request, programme, add_form=form, status=400)


@login_required
@require_POST
def officer_remove(request, pk):
    programme = _programme(request, pk)
    policies.require(request.user, "manage_officers", programme)
    form = OfficerRemoveForm(request.POST, programme=programme)
    if not form.is_valid():  # not (or no longer) one of the programme's officers
        messages.error(request, _("This person is not a programme officer of this programme."))
        return redirect(programme)
    officer = form.cleaned_data["officer"]
    try:
        services.remove_programme_officer(programme, actor=request.user, officer=officer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer a programme officer: the "
                                    "programme's pilots are closed to them.") % {"name": officer})
    return redirect(programme)
