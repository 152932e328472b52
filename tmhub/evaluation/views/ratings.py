"""Pages of social evaluation (issue 17 item 6): indicator systems (the tree with weights),
rating rounds (list; detail with the computation's progress polled by HTMX), the reviewers'
scores, a rating's explanation with the subject's objection, and the city's resolution of
it. Views parse, check access through the policies, call the services and render."""

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
from tmhub.core.access import CHANGE, get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView, page_or_404
from tmhub.evaluation.filters_ratings import (
    AccreditationFilter,
    IndicatorSystemFilter,
    RatingFilter,
    RatingReviewFilter,
    RatingRoundFilter,
)
from tmhub.evaluation.forms_ratings import (
    AccreditationForm,
    AssignForm,
    IndicatorForm,
    ObjectionForm,
    ResolveForm,
    RevokeForm,
    RoundForm,
    ScoreForm,
    WeightsForm,
)
from tmhub.evaluation.models import (
    EvaluationAccreditation,
    Indicator,
    IndicatorSystem,
    Rating,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.policies_rating_use import may_export_results
from tmhub.evaluation.rating_choices import RoundStatus
from tmhub.evaluation.rating_explain import describe_curve, rows_of
from tmhub.evaluation.rating_workflows import ROUND_WORKFLOW
from tmhub.evaluation.services import indicators as system_services
from tmhub.evaluation.services import ratings as services


def _message_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# ---------------------------------------------------------------- indicator systems
class IndicatorSystemListView(RestrictedListView):
    model = IndicatorSystem
    filterset_class = IndicatorSystemFilter
    template_name = "evaluation/rating_system_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", IndicatorSystem)
        return context


def _metric_label(key: str) -> str:
    from tmhub.core import metrics

    try:
        return str(metrics.get(key).label) if key else ""
    except LookupError:
        return key


def _tree_rows(system) -> list[tuple[Indicator, int, str, str]]:
    rows = list(Indicator.objects.filter(system=system).order_by("order", "id"))
    children: dict[int | None, list[Indicator]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[tuple[Indicator, int, str, str]] = []

    def visit(row, depth):
        ordered.append((row, depth, describe_curve(row.curve), _metric_label(row.metric_key)))
        for child in children.get(row.pk, ()):
            visit(child, depth + 1)

    for top in children.get(None, ()):
        visit(top, 0)
    return ordered


@require_GET
def system_detail(request, pk: int):
    system = get_restricted_or_404(IndicatorSystem, request.user, pk=pk)
    user = request.user
    return render(request, "evaluation/rating_system_detail.html", {
        "system": system, "rows": _tree_rows(system),
        "problems": system_services.publication_errors(system)
        if not system.is_published else {},
        "can_edit": not system.is_published and policies.allows(user, CHANGE, system),
        "can_publish": not system.is_published and policies.allows(user, "publish", system),
        "can_copy": policies.allows(user, "copy", system),
        "versions": IndicatorSystem.objects.restrict(user).filter(code=system.code),
    })


@login_required
@require_POST
def system_publish(request, pk: int):
    system = get_restricted_or_404(IndicatorSystem, request.user, pk=pk)
    if not policies.allows(request.user, "publish", system):
        raise Http404
    try:
        system_services.publish_system(system, actor=request.user)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Published: this version is now frozen."))
    return redirect(system)


@login_required
@require_POST
def system_new_version(request, pk: int):
    system = get_restricted_or_404(IndicatorSystem, request.user, pk=pk)
    if not policies.allows(request.user, "copy", system):
        raise Http404
    copy = system_services.new_version(system, actor=request.user)
    messages.success(request, _("A new draft version was made: edit it, then publish it."))
    return redirect(copy)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, pk: int):
    system = get_restricted_or_404(IndicatorSystem, request.user, CHANGE, pk=pk)
    if system.is_published:
        raise Http404
    form = IndicatorForm(request.POST or None, system=system)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()
                if k not in ("curve_kind", "steps", "zero", "full")}
        parent_code = data.pop("parent")
        parent = system.indicators.filter(code=parent_code).first() if parent_code else None
        data["curve"] = form.curve()
        try:
            system_services.add_indicator(system, actor=request.user, parent=parent, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indicator added."))
            return redirect(system)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Add an indicator to %(system)s") % {"system": system},
        "submit": _("Add"), "back_url": system.get_absolute_url()})


def _indicator_initial(indicator: Indicator) -> dict:
    curve = indicator.curve or {}
    initial = {name: getattr(indicator, name) for name in (
        "code", "kind", "name_zh", "name_en", "weight", "order", "metric_key", "guidance")}
    initial["parent"] = indicator.parent.code if indicator.parent_id else ""
    initial["curve_kind"] = curve.get("kind", "")
    initial["steps"] = "\n".join(f"{m}:{p}" for m, p in curve.get("steps") or ())
    initial["zero"], initial["full"] = curve.get("zero"), curve.get("full")
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    """Change one node of a draft (a published version is frozen: 404 here, refused by the
    service and the model)."""
    indicator = get_restricted_or_404(Indicator, request.user, pk=pk)
    system = indicator.system
    if system.is_published or not policies.allows(request.user, CHANGE, system):
        raise Http404
    form = IndicatorForm(request.POST or None, system=system,
                         initial=_indicator_initial(indicator))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()
                if k not in ("curve_kind", "steps", "zero", "full")}
        parent_code = data.pop("parent")
        data["parent"] = system.indicators.filter(code=parent_code).first() \
            if parent_code else None
        data["curve"] = form.curve()
        try:
            system_services.update_indicator(indicator, actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indicator saved."))
            return redirect(system)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Edit %(indicator)s") % {"indicator": indicator.name},
        "submit": _("Save"), "back_url": system.get_absolute_url(), "subject": system})


@login_required
@require_http_methods(["GET", "POST"])
def system_weights(request, pk: int):
    """Every weight of a draft on one page; each level must sum to 100 (the error sits on
    each weight of a level that does not)."""
    system = get_restricted_or_404(IndicatorSystem, request.user, CHANGE, pk=pk)
    if system.is_published:
        raise Http404
    form = WeightsForm(request.POST or None, rows=_tree_rows(system))
    if request.method == "POST" and form.is_valid():
        try:
            changed = system_services.set_weights(system, actor=request.user,
                                                  weights=form.weights())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Weights saved (%(n)s changed).") % {"n": changed})
            return redirect(system)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Weights of %(system)s") % {"system": system},
        "submit": _("Save the weights"), "back_url": system.get_absolute_url(),
        "subject": system})


@login_required
@require_POST
def indicator_remove(request, pk: int):
    indicator = get_restricted_or_404(Indicator, request.user, pk=pk)
    system = indicator.system
    if system.is_published or not policies.allows(request.user, CHANGE, system):
        raise Http404
    try:
        system_services.remove_indicator(indicator, actor=request.user)
    except ValidationError as exc:
        _message_errors(request, exc)
    return redirect(system)


# ---------------------------------------------------------------- rounds
class RatingRoundListView(LoginRequiredMixin, RestrictedListView):
    model = RatingRound
    filterset_class = RatingRoundFilter
    template_name = "evaluation/rating_round_list.html"

    def base_queryset(self):
        return RatingRound.objects.select_related("manager_system", "institution_system",
                                                  "organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", RatingRound)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not policies.allows(request.user, "create", RatingRound):
        raise Http404
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(actor=request.user, **form.round_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Round created: assign reviewers, then open it."))
            return redirect(round_)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Open a rating round"), "submit": _("Create the round"),
        "back": "evaluation:rating-round-list"})


def _acts_on(user, round_) -> bool:
    """Runs the round, or oversees it (the city, whoever runs it)."""
    return policies.allows(user, "run", round_) or policies.allows(user, "oversee", round_)


def _round_context(request, round_):
    user = request.user
    can_run = _acts_on(user, round_)
    context = {"round": round_, "can_run": can_run,
               "polling": round_.status == RoundStatus.COMPUTING,
               "filter_labels": services.subject_filter_labels(round_),
               # The results' download for appointments and reviews (its own policy).
               "may_export": round_.status == RoundStatus.PUBLISHED and may_export_results(
                   get_scope(user))}
    if can_run:
        context["buttons"] = [b for b in ROUND_WORKFLOW.buttons(round_, user)]
        ratings = Rating.objects.filter(round=round_).select_related(
            "manager__manager_profile", "institution", "system")
        context["page_obj"] = page_or_404(ratings, request)
        context["assign_form"] = AssignForm(round_=round_) if round_.status not in (
            RoundStatus.PUBLISHED, RoundStatus.SUSPENDED) and policies.allows(
            user, "run", round_) else None
        context["review_counts"] = {
            "assigned": RatingReview.objects.filter(round=round_).count(),
            "scored": RatingReview.objects.filter(round=round_, score__isnull=False).count()}
        context["objections"] = RatingObjection.objects.filter(
            rating__round=round_).select_related("rating__manager__manager_profile",
                                                 "rating__institution")[:50]
    return context


@login_required
@require_GET
def round_detail(request, pk: int):
    round_ = get_restricted_or_404(RatingRound.objects.select_related(
        "manager_system", "institution_system"), request.user, pk=pk)
    return render(request, "evaluation/rating_round_detail.html",
                  _round_context(request, round_))


@login_required
@require_GET
def round_progress(request, pk: int):
    """The progress bar alone (polled by HTMX while the round computes)."""
    round_ = get_restricted_or_404(RatingRound, request.user, pk=pk)
    if not _acts_on(request.user, round_):
        raise Http404
    response = render(request, "evaluation/rating_round_progress.html",
                      {"round": round_, "polling": round_.status == RoundStatus.COMPUTING})
    if round_.status != RoundStatus.COMPUTING and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # done: show the results
    return response


@login_required
@require_POST
def round_step(request, pk: int, target: str):
    round_ = get_restricted_or_404(RatingRound, request.user, pk=pk)
    if not _acts_on(request.user, round_):
        raise Http404
    try:
        services.step_round(round_, target, actor=request.user,
                            reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _message_errors(request, exc)
    return redirect(round_)


@login_required
@require_POST
def round_assign(request, pk: int):
    from tmhub.accounts.models import User

    round_ = get_restricted_or_404(RatingRound, request.user, pk=pk)
    if not policies.allows(request.user, "run", round_):
        raise Http404
    form = AssignForm(request.POST, round_=round_)
    if not form.is_valid():
        messages.error(request, _("Choose the indicator and give the reviewer's user name."))
        return redirect(round_)
    reviewer = User.objects.filter(username=form.cleaned_data["reviewer"]).first()
    indicator = services.scored_indicators(round_).filter(
        pk=form.cleaned_data["indicator"]).first()
    if reviewer is None or indicator is None:
        messages.error(request, _("No such reviewer."))
        return redirect(round_)
    try:
        made = services.assign_reviewer(round_, actor=request.user, indicator=indicator,
                                        reviewer=reviewer)
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("%(count)s reviews assigned.") % {"count": made})
    return redirect(round_)


# ---------------------------------------------------------------- reviews
class RatingReviewListView(LoginRequiredMixin, RestrictedListView):
    model = RatingReview
    filterset_class = RatingReviewFilter
    template_name = "evaluation/rating_review_list.html"

    def base_queryset(self):
        return RatingReview.objects.select_related(
            "round", "indicator", "manager__manager_profile", "institution")


@login_required
@require_http_methods(["GET", "POST"])
def review_score(request, pk: int):
    review = get_restricted_or_404(RatingReview.objects.select_related(
        "round", "indicator", "manager__manager_profile", "institution"), request.user, pk=pk)
    may_score = policies.allows(request.user, "score", review)
    if request.method == "POST" and not may_score:
        raise Http404
    form = ScoreForm(request.POST or None, initial={"score": review.score,
                                                    "comment": review.comment})
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_score(review, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Score saved."))
            return redirect("evaluation:rating-review-list")
    return render(request, "evaluation/rating_review_detail.html",
                  {"review": review, "form": form if may_score else None})


# ---------------------------------------------------------------- ratings
class RatingListView(LoginRequiredMixin, RestrictedListView):
    model = Rating
    filterset_class = RatingFilter
    template_name = "evaluation/rating_list.html"

    def base_queryset(self):
        return Rating.objects.select_related("round", "system", "manager__manager_profile",
                                             "institution")


@login_required
@require_GET
def rating_detail(request, pk: int):
    rating = get_restricted_or_404(Rating.objects.select_related(
        "round", "system", "manager__manager_profile", "institution"), request.user, pk=pk)
    may_object = policies.allows(request.user, "object", rating)
    return render(request, "evaluation/rating_detail.html", {
        "rating": rating, "rows": rows_of(rating, request.user.pk),
        "objections": rating.objections.all(),
        "objection_form": ObjectionForm() if may_object else None,
        "can_resolve": policies.allows(request.user, "run", rating.round)})


@login_required
@require_POST
def rating_object(request, pk: int):
    rating = get_restricted_or_404(Rating.objects.select_related("round"), request.user,
                                   pk=pk)
    if not policies.allows(request.user, "object", rating):
        raise Http404
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what is wrong with the rating."))
        return redirect(rating)
    try:
        services.file_objection(rating, actor=request.user, text=form.cleaned_data["text"])
    except ValidationError as exc:
        _message_errors(request, exc)
    else:
        messages.success(request, _("Objection filed: the city will resolve it."))
    return redirect(rating)


@login_required
@require_http_methods(["GET", "POST"])
def objection_resolve(request, pk: int):
    objection = get_restricted_or_404(RatingObjection.objects.select_related(
        "rating__round"), request.user, pk=pk)
    if not policies.allows(request.user, "resolve", objection):
        raise Http404
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_objection(
                objection, actor=request.user,
                upheld=form.cleaned_data["decision"] == "upheld",
                resolution=form.cleaned_data["resolution"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objection resolved."))
            return redirect(objection.rating)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Resolve the objection"), "submit": _("Resolve"),
        "subject": objection.rating, "back_url": objection.rating.get_absolute_url()})


# ---------------------------------------------------------------- accreditation (item 6a)
class AccreditationListView(LoginRequiredMixin, RestrictedListView):
    """The city's accreditations of evaluation organisations, in force or not."""

    model = EvaluationAccreditation
    template_name = "evaluation/rating_accreditation_list.html"
    filterset_class = AccreditationFilter

    def base_queryset(self):
        return EvaluationAccreditation.objects.select_related("organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = policies.allows(user, "create", EvaluationAccreditation)
        context["revoke_form"] = RevokeForm() if context["can_create"] else None
        return context


@login_required
@require_http_methods(["GET", "POST"])
def accreditation_create(request):
    if not policies.allows(request.user, "create", EvaluationAccreditation):
        raise Http404
    form = AccreditationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accredit(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Accredited: its staff may now run rating rounds."))
            return redirect("evaluation:rating-accreditation-list")
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Accredit an evaluation organisation"),
        "submit": _("Accredit"), "back": "evaluation:rating-accreditation-list"})


@login_required
@require_POST
def accreditation_revoke(request, pk: int):
    accreditation = get_restricted_or_404(EvaluationAccreditation, request.user, pk=pk)
    if not policies.allows(request.user, "revoke", accreditation):
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
    else:
        try:
            services.revoke_accreditation(accreditation, actor=request.user,
                                          reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _message_errors(request, exc)
        else:
            messages.success(request, _("Accreditation revoked."))
    return redirect("evaluation:rating-accreditation-list")
