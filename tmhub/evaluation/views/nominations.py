"""Pages of the talent programmes and the nominations to them (issue 17 item 6; plan task
3): the programmes (the city or the 市人才工作局 enters them), the nominations an institution
or the city makes, with the evidence taken from the records, and the bureau's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.evaluation.filters_spotlight import NominationFilter, ProgrammeFilter
from tmhub.evaluation.forms_spotlight import NominationForm, ProgrammeForm, StatementForm
from tmhub.evaluation.models import Nomination, TalentProgramme
from tmhub.evaluation.services import nominations as services
from tmhub.evaluation.spotlight_workflows import NOMINATION_WORKFLOW


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------- programmes
class ProgrammeListView(LoginRequiredMixin, RestrictedListView):
    model = TalentProgramme
    filterset_class = ProgrammeFilter
    template_name = "evaluation/nomination_programme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = policies.allows(user, "create", TalentProgramme)
        context["can_nominate"] = policies.allows(user, "create", Nomination)
        return context


@login_required
@require_GET
def programme_detail(request, pk: int):
    programme = get_restricted_or_404(TalentProgramme, request.user, pk=pk)
    user = request.user
    return render(request, "evaluation/nomination_programme_detail.html", {
        "programme": programme, "is_open": programme.is_open(),
        "can_edit": policies.allows(user, CHANGE, programme),
        "can_nominate": policies.allows(user, "create", Nomination) and programme.is_open(),
        "nominations": Nomination.objects.restrict(user).filter(programme=programme)
        .select_related("manager__manager_profile", "institution")[:50]})


def _programme_form(request, programme=None):
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ProgrammeForm.Meta.fields}
        try:
            if programme is None:
                programme = services.create_programme(actor=request.user, **values)
            else:
                programme = services.update_programme(programme, actor=request.user, **values)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect(programme)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "submit": _("Save"),
        "heading": _("Enter a talent programme") if programme is None else
        _("Edit the programme"),
        "back_url": programme.get_absolute_url() if programme else "",
        "back": "evaluation:programme-list"})


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    if not policies.allows(request.user, "create", TalentProgramme):
        raise Http404
    return _programme_form(request)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    programme = get_restricted_or_404(TalentProgramme, request.user, CHANGE, pk=pk)
    return _programme_form(request, programme)


# ---------------------------------------------------------------- nominations
class NominationListView(LoginRequiredMixin, RestrictedListView):
    model = Nomination
    filterset_class = NominationFilter
    template_name = "evaluation/nomination_list.html"

    def base_queryset(self):
        return Nomination.objects.select_related("programme", "manager__manager_profile",
                                                 "institution")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Nomination)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request):
    user = request.user
    if not policies.allows(user, "create", Nomination):
        raise Http404
    profiles = services.nominable_profiles(user)
    initial = {"programme": request.GET.get("programme")} if request.method == "GET" else None
    form = NominationForm(request.POST or None, profiles=profiles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.create_nomination(
                actor=user, programme=form.cleaned_data["programme"],
                manager=form.cleaned_data["manager"].user,
                statement=form.cleaned_data["statement"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved: check it, then submit it."))
            return redirect(nomination)
    return render(request, "evaluation/nomination_form.html", {
        "form": form, "heading": _("Nominate a manager to a talent programme"),
        "empty": not form.fields["programme"].queryset.exists()})


@login_required
@require_GET
def nomination_detail(request, pk: int):
    nomination = get_restricted_or_404(Nomination.objects.select_related(
        "programme", "manager__manager_profile", "institution", "rating__round"),
        request.user, pk=pk)
    user = request.user
    evidence = nomination.evidence or None
    if evidence is None and policies.allows(user, "edit", nomination):
        # A preview from today's records: the submission takes them again and keeps them.
        from django.utils import timezone

        evidence = services.gather_evidence(nomination.manager, timezone.localdate())
        preview = True
    else:
        preview = False
    return render(request, "evaluation/nomination_detail.html", {
        "nomination": nomination, "evidence": evidence, "preview": preview,
        "buttons": NOMINATION_WORKFLOW.buttons(nomination, user),
        "can_edit": policies.allows(user, "edit", nomination)})


@login_required
@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk: int):
    nomination = get_restricted_or_404(Nomination.objects.select_related("programme"),
                                       request.user, pk=pk)
    if not policies.allows(request.user, "edit", nomination):
        raise Http404
    form = StatementForm(request.POST or None, initial={"statement": nomination.statement})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_nomination(nomination, actor=request.user,
                                     statement=form.cleaned_data["statement"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Statement saved."))
            return redirect(nomination)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Edit the nomination"), "submit": _("Save"),
        "subject": nomination, "back_url": nomination.get_absolute_url()})


@login_required
@require_POST
def nomination_step(request, pk: int, target: str):
    nomination = get_restricted_or_404(Nomination, request.user, pk=pk)
    allowed = {t.target for t in NOMINATION_WORKFLOW.allowed_for(nomination, request.user)}
    if target not in allowed:
        raise Http404
    try:
        services.step_nomination(nomination, target, actor=request.user,
                                 reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(nomination)
