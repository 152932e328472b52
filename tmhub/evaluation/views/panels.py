"""Panels, the expert pool and the reviewers' pages (issue 16 item 5).

The bureau forms panels and assigns reviewers; a reviewer sees only the applications assigned
to them and their own scores, the others' (without names) once the review closed; the
applicant never sees who reviewed them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.filters import ExpertFilter, PanelFilter, ReviewFilter
from tmhub.evaluation.forms import (
    AssignForm,
    BureauConflictForm,
    ConflictForm,
    ExpertForm,
    MemberForm,
    PanelForm,
    ScoreForm,
)
from tmhub.evaluation.models import (
    PanelMember,
    ReviewAssignment,
    TitleApplication,
    TitleExpert,
    TitlePanel,
)
from tmhub.evaluation.policies import AFTER_REVIEW
from tmhub.evaluation.services import panels as services
from tmhub.evaluation.tally import average


# ---------------------------------------------------------------- the expert pool
class ExpertListView(LoginRequiredMixin, RestrictedListView):
    model = TitleExpert
    filterset_class = ExpertFilter
    template_name = "evaluation/expert_list.html"

    def base_queryset(self):
        return TitleExpert.objects.select_related("institution", "user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create",
                                                TitleExpert)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def expert_create(request):
    if not policies.allows(request.user, "create", TitleExpert):
        raise Http404
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_expert(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Expert added to the pool."))
            return redirect("evaluation:expert-list")
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Add an expert to the pool"),
        "submit": _("Add to the pool"), "back": "evaluation:expert-list"})


# ---------------------------------------------------------------- panels
class PanelListView(LoginRequiredMixin, RestrictedListView):
    model = TitlePanel
    filterset_class = PanelFilter
    template_name = "evaluation/panel_list.html"

    def base_queryset(self):
        return TitlePanel.objects.select_related("round", "level", "direction")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", TitlePanel)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def panel_create(request):
    if not policies.allows(request.user, "create", TitlePanel):
        raise Http404
    form = PanelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            panel = services.create_panel(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Panel formed. Add its members."))
            return redirect(panel)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Form a review panel"), "submit": _("Form the panel"),
        "back": "evaluation:panel-list"})


def _panel_applications(panel, user):
    return TitleApplication.objects.restrict(user).filter(
        round_id=panel.round_id, level_id=panel.level_id, direction_id=panel.direction_id,
        status__in=(S.PANEL_REVIEW, *AFTER_REVIEW)).select_related("applicant", "institution")


@login_required
@require_http_methods(["GET", "POST"])
def panel_detail(request, pk):
    panel = get_restricted_or_404(TitlePanel.objects.select_related("round", "level",
                                                                    "direction"),
                                  request.user, "view", pk=pk)
    manage = policies.allows(request.user, "manage", panel)
    member_form = MemberForm(request.POST if request.method == "POST" and manage else None,
                             panel=panel)
    if request.method == "POST":
        if not manage:
            raise Http404
        if member_form.is_valid():
            try:
                services.add_member(panel, actor=request.user, **member_form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(member_form, exc)
            else:
                messages.success(request, _("Member added."))
                return redirect(panel)
    rows = []
    if manage:
        for application in _panel_applications(panel, request.user):
            assignments = list(application.assignments.select_related("expert"))
            rows.append({"application": application, "assignments": assignments,
                         "assign_form": AssignForm(panel=panel, application=application,
                                                   prefix=f"a{application.pk}")
                         if application.status == S.PANEL_REVIEW else None,
                         "average": average(a.total for a in assignments
                                            if a.is_active and a.total is not None),
                         "active": sum(1 for a in assignments if a.is_active),
                         "scored": sum(1 for a in assignments
                                       if a.is_active and a.total is not None)})
    return render(request, "evaluation/panel_detail.html", {
        "panel": panel, "manage": manage, "member_form": member_form,
        "members": panel.memberships.select_related("expert__institution"),
        "rows": rows})


@login_required
@require_POST
def member_remove(request, pk):
    member = get_restricted_or_404(PanelMember.objects.select_related("panel"), request.user,
                                   "change", pk=pk)
    try:
        services.remove_member(member, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Member removed."))
    return redirect(member.panel)


@login_required
@require_POST
def application_assign(request, pk):
    application = get_restricted_or_404(TitleApplication.objects.all(), request.user, "view",
                                        pk=pk)
    if not policies.allows(request.user, "run_round", application):
        raise Http404
    panel = services.panel_for(application)
    if panel is None:
        raise Http404
    form = AssignForm(request.POST, panel=panel, prefix=f"a{application.pk}")
    if form.is_valid():
        try:
            services.assign_reviewer(application, actor=request.user,
                                     expert=form.cleaned_data["expert"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reviewer assigned."))
    else:
        messages.error(request, _("Choose a member of the panel."))
    return redirect(panel.get_absolute_url() + f"#application-{application.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def application_conflict(request, pk):
    """The bureau records an expert's conflict of interest with an application."""
    application = get_restricted_or_404(TitleApplication.objects.all(), request.user, "view",
                                        pk=pk)
    if not policies.allows(request.user, "run_round", application):
        raise Http404
    form = BureauConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(application, actor=request.user,
                                      expert=form.cleaned_data["expert"],
                                      reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Conflict of interest recorded."))
            return redirect(application)
    return render(request, "evaluation/simple_form.html", {
        "form": form, "heading": _("Record a conflict of interest"),
        "submit": _("Record the conflict"), "back_url": application.get_absolute_url(),
        "subject": application})


# ---------------------------------------------------------------- reviews
class ReviewListView(LoginRequiredMixin, RestrictedListView):
    """A reviewer's own reviews (the bureau's: every review)."""

    model = ReviewAssignment
    filterset_class = ReviewFilter
    template_name = "evaluation/review_list.html"

    def base_queryset(self):
        return ReviewAssignment.objects.select_related(
            "application__applicant", "application__level", "application__direction",
            "application__round", "expert")

    def get_queryset(self):
        queryset = super().get_queryset()
        # a reviewer's list is their own reviews; the others they may read after the vote
        # show on each review's page, without names
        if not policies.allows(self.request.user, "create", TitlePanel) and \
                not get_scope(self.request.user).is_municipal:
            queryset = queryset.filter(expert__user_id=self.request.user.pk)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_reviewer"] = policies.allows(self.request.user, "create", TitlePanel)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    assignment = get_restricted_or_404(
        ReviewAssignment.objects.select_related("application__applicant",
                                                "application__institution",
                                                "application__level",
                                                "application__direction", "expert"),
        request.user, "view", pk=pk)
    application = assignment.application
    user = request.user
    if not policies.allows(user, "view", application):
        raise Http404
    criteria = services.criteria_in_force()
    may_score = policies.allows(user, "score", assignment)
    is_mine = assignment.expert.user_id == user.pk
    # criterion by criterion: the reviewer's own, and the bureau's and the city's to read;
    # other reviewers see the totals only (after the vote)
    own = {s.criterion.code: s.score for s in assignment.scores.select_related("criterion")} \
        if is_mine or policies.allows(user, "view_reviewer", assignment) else {}
    form = ScoreForm(request.POST if request.method == "POST" and may_score else None,
                     criteria=criteria, initial_scores=own,
                     initial={"comment": assignment.comment})
    if request.method == "POST":
        if not may_score:
            raise Http404
        if form.is_valid():
            try:
                services.submit_scores(assignment, actor=user, scores=form.scores(),
                                       comment=form.cleaned_data["comment"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Scores submitted."))
                return redirect(assignment)
    others = []
    if application.status in AFTER_REVIEW:
        visible = ReviewAssignment.objects.restrict(user).filter(
            application=application, recused_at__isnull=True).order_by("assigned_at", "id")
        for number, other in enumerate(visible, start=1):
            others.append({"number": number, "total": other.total,
                           "mine": other.pk == assignment.pk,
                           "name": other.expert.full_name if policies.allows(
                               user, "view_reviewer", other) else None})
    return render(request, "evaluation/review_detail.html", {
        "assignment": assignment, "application": application, "form": form,
        "may_score": may_score, "criteria": criteria, "own": own, "others": others,
        "may_declare": may_score and is_mine, "is_mine": is_mine,
        "conflict_form": ConflictForm(),
        "average": average(o["total"] for o in others if o["total"] is not None),
        "show_reviewer": policies.allows(user, "view_reviewer", assignment)})


@login_required
@require_POST
def review_conflict(request, pk):
    """The reviewer declares a conflict of interest and is recused from the application."""
    assignment = get_restricted_or_404(ReviewAssignment.objects.select_related("expert"),
                                       request.user, "change", pk=pk)
    if assignment.expert.user_id != request.user.pk:
        raise Http404
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what the conflict of interest is."))
        return redirect(assignment)
    try:
        services.declare_conflict(assignment.application, actor=request.user,
                                  expert=assignment.expert, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(assignment)
    messages.success(request, _("Conflict declared: you no longer review this application."))
    return redirect("evaluation:review-list")
