"""Pages of the spotlight of outstanding managers (issue 17 item 6): the public page and an
entry's page (anonymous, both languages), and the city's work — picking managers from a
published round's results, the citation, the consent, the approval by a second person and the
withdrawal. Views parse, ask the policies, call the services and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import page_or_404
from tmhub.evaluation.filters_spotlight import PublicSpotlightFilter, SpotlightFilter
from tmhub.evaluation.forms_spotlight import CitationForm, ConsentForm
from tmhub.evaluation.models import Rating, RatingRound, SpotlightEntry
from tmhub.evaluation.policies_spotlight import may_pick
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind
from tmhub.evaluation.services import spotlight as services
from tmhub.evaluation.services.cases import published_cases_for_manager
from tmhub.evaluation.spotlight_choices import SpotlightStatus
from tmhub.evaluation.spotlight_workflows import SPOTLIGHT_WORKFLOW

RELATED = ("rating__round", "rating__system", "rating__employer",
           "rating__manager__manager_profile")


def _require_city(user) -> None:
    if not policies.allows(user, "create", SpotlightEntry):
        raise Http404


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@require_GET
def spotlight_list(request):
    """Public: the published entries (name, institution, citation, round and level)."""
    filterset = PublicSpotlightFilter(request.GET or None, queryset=services.published_entries(),
                                      request=request)
    BootstrapFormMixin.style_fields(filterset.form)
    page = page_or_404(filterset.qs, request, per_page=12)
    return render(request, "evaluation/spotlight_list.html", {
        "filterset": filterset, "page_obj": page, "object_list": page.object_list,
        "is_paginated": page.paginator.num_pages > 1,
        "can_manage": policies.allows(request.user, "create", SpotlightEntry)})


@require_GET
def spotlight_detail(request, pk: int):
    entry = get_restricted_or_404(SpotlightEntry.objects.select_related(*RELATED),
                                  request.user, pk=pk)
    user = request.user
    can_manage = policies.allows(user, "manage", entry)
    is_manager = user.is_authenticated and user.pk == entry.rating.manager_id
    consent_open = entry.status != SpotlightStatus.WITHDRAWN and not entry.has_consent
    return render(request, "evaluation/spotlight_detail.html", {
        "entry": entry, "can_manage": can_manage,
        # The manager's published cases: what the public may read about their work.
        "cases": published_cases_for_manager(entry.rating.manager).order_by("-published_at"),
        "is_public": entry.status == SpotlightStatus.PUBLISHED,
        "buttons": SPOTLIGHT_WORKFLOW.buttons(entry, user) if can_manage else [],
        "consent_form": ConsentForm() if consent_open and (can_manage or is_manager) else None,
        "may_edit": can_manage and entry.status == SpotlightStatus.DRAFT,
        "show_history": can_manage or is_manager})


@login_required
@require_GET
def spotlight_manage(request):
    """The city's list of every entry, in every state."""
    _require_city(request.user)
    rows = SpotlightEntry.objects.restrict(request.user).select_related(*RELATED)
    filterset = SpotlightFilter(request.GET or None, queryset=rows, request=request)
    BootstrapFormMixin.style_fields(filterset.form)
    page = page_or_404(filterset.qs, request)
    rounds = RatingRound.objects.restrict(request.user).filter(status=RoundStatus.PUBLISHED)
    return render(request, "evaluation/spotlight_manage.html", {
        "filterset": filterset, "page_obj": page, "object_list": page.object_list,
        "is_paginated": page.paginator.num_pages > 1, "rounds": rounds[:20]})


@login_required
@require_GET
def spotlight_pick(request, pk: int):
    """The results of one published round, best first, for the city to pick from by hand."""
    _require_city(request.user)
    round_ = get_restricted_or_404(RatingRound, request.user, pk=pk)
    if round_.status != RoundStatus.PUBLISHED:
        raise Http404
    ratings = (Rating.objects.filter(round=round_, subject_kind=SubjectKind.MANAGER)
               .select_related("manager__manager_profile", "employer", "system")
               .order_by("-total", "id"))
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        ratings = ratings.filter(Q(manager__manager_profile__full_name__icontains=q)
                                 | Q(employer__name__icontains=q))
    level = (request.GET.get("level") or "").strip()[:40]
    if level:
        ratings = ratings.filter(level=level)
    page = page_or_404(ratings, request)
    picked = dict(SpotlightEntry.objects.filter(rating__round=round_).exclude(
        status=SpotlightStatus.WITHDRAWN).values_list("rating_id", "pk"))
    levels = round_.manager_system.levels if round_.manager_system else []
    return render(request, "evaluation/spotlight_pick.html", {
        "round": round_, "page_obj": page, "is_paginated": page.paginator.num_pages > 1,
        "picked": picked, "q": q, "level": level, "levels": levels})


@login_required
@require_http_methods(["GET", "POST"])
def spotlight_create(request, pk: int):
    _require_city(request.user)
    rating = get_restricted_or_404(Rating.objects.select_related(
        "round", "manager__manager_profile", "employer", "system"), request.user, pk=pk)
    if not may_pick(request.user, rating):
        raise Http404
    form = CitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.draft_entry(actor=request.user, rating=rating,
                                         **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved: record the manager's consent and submit "
                                        "it for approval."))
            return redirect(entry)
    return render(request, "evaluation/spotlight_form.html", {
        "form": form, "rating": rating,
        "heading": _("Put %(name)s in the spotlight") % {"name": rating.subject_name},
        "back_url": reverse("evaluation:spotlight-pick", args=[rating.round_id])})


@login_required
@require_http_methods(["GET", "POST"])
def spotlight_edit(request, pk: int):
    entry = get_restricted_or_404(SpotlightEntry.objects.select_related(*RELATED),
                                  request.user, pk=pk)
    if not policies.allows(request.user, "manage", entry) or \
            entry.status != SpotlightStatus.DRAFT:
        raise Http404
    form = CitationForm(request.POST or None, initial={"citation_zh": entry.citation_zh,
                                                       "citation_en": entry.citation_en})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_citation(entry, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Citation saved."))
            return redirect(entry)
    return render(request, "evaluation/spotlight_form.html", {
        "form": form, "rating": entry.rating, "heading": _("Edit the citation"),
        "back_url": entry.get_absolute_url()})


@login_required
@require_POST
def spotlight_consent(request, pk: int):
    entry = get_restricted_or_404(SpotlightEntry.objects.select_related(*RELATED),
                                  request.user, pk=pk)
    if not (policies.allows(request.user, "manage", entry)
            or request.user.pk == entry.rating.manager_id):
        raise Http404
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the manager agreed and the evidence."))
        return redirect(entry)
    try:
        services.record_consent(entry, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Consent recorded."))
    return redirect(entry)


@login_required
@require_POST
def spotlight_step(request, pk: int, target: str):
    entry = get_restricted_or_404(SpotlightEntry, request.user, pk=pk)
    if not policies.allows(request.user, "manage", entry):
        raise Http404
    try:
        services.step_entry(entry, target, actor=request.user,
                            reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(entry)
