"""Title application pages: the applicant's drafts, the employer's review and notice, the
bureau's intake check, vote and notice of the result (SPEC §6, issue 16 item 4)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.evaluation.choices import RETURNABLE_FIELDS
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.filters import ApplicationFilter
from tmhub.evaluation.forms import (
    ApplicationForm,
    ObjectionForm,
    ResolveObjectionForm,
    ReturnForm,
    RevokeForm,
    RoundForm,
    VoteForm,
)
from tmhub.evaluation.models import Objection, TitleApplication, TitleRound
from tmhub.evaluation.policies import employer_orgs, is_bureau
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.services import results as result_services
from tmhub.evaluation.workflows import APPLICATION_WORKFLOW, FORM_STEPS, eligibility_of
from tmhub.transfer.views.common import run_step, step_buttons

DETAIL_RELATED = ("applicant", "institution", "level", "direction", "current_title", "round")


def _application(request, pk, action="view"):
    return get_restricted_or_404(TitleApplication.objects.select_related(*DETAIL_RELATED),
                                 request.user, action, pk=pk)


class ApplicationListView(LoginRequiredMixin, RestrictedListView):
    """One list, three readers: the applicant's own applications, the employer's (its staff's
    submitted applications) and the bureau's (every endorsed application)."""

    model = TitleApplication
    filterset_class = ApplicationFilter
    template_name = "evaluation/application_list.html"

    def base_queryset(self):
        return TitleApplication.objects.select_related(*DETAIL_RELATED)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = get_scope(self.request.user)
        context.update({
            "can_create": policies.allows(self.request.user, "create", TitleApplication),
            "is_bureau": is_bureau(scope),
            "is_employer": bool(employer_orgs(scope)),
            "is_city": scope.is_municipal,
            "can_open_round": policies.allows(self.request.user, "create", TitleRound),
            "rounds": TitleRound.objects.all()[:5],
        })
        return context


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    policies.require(request.user, "create", TitleApplication)
    initial = {}
    profile = getattr(request.user, "manager_profile", None)
    if profile is not None:
        from tmhub.evaluation.services.titles import profile_initial

        found = profile_initial(request.user)
        initial["education"] = found.get("education")
        from tmhub.evaluation.services.titles import level_by_code

        initial["current_title"] = level_by_code(found.get("current_title", "none"))
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                actor=request.user, round=form.cleaned_data["round"], **form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application saved as a draft. Submit it when ready."))
            return redirect(application)
    return render(request, "evaluation/application_form.html",
                  {"form": form, "has_profile": profile is not None})


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = _application(request, pk, CHANGE)
    comments = list(application.return_comments.filter(resolved_at__isnull=True))
    form = ApplicationForm(request.POST or None, instance=application, comments=comments)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_application(TitleApplication.objects.get(pk=pk),
                                        actor=request.user, **form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(application)
    return render(request, "evaluation/application_form.html",
                  {"form": form, "application": application, "has_profile": True})


def _form_button(application, user, target):
    """The button of a step taken on its own form, if `user` may take it now (None)."""
    return next((b for b in APPLICATION_WORKFLOW.buttons(application, user)
                 if b.target == target and (application.status, b.target) in FORM_STEPS),
                None)


def _form_step_allowed(application, user, target) -> bool:
    return _form_button(application, user, target) is not None


def application_detail(request, pk):
    application = _application(request, pk)
    user = request.user
    steps = step_buttons(
        APPLICATION_WORKFLOW, application, user,
        lambda target: reverse("evaluation:application-step", args=[pk, target]),
        only=lambda b: (application.status, b.target) not in FORM_STEPS)
    may_run = policies.allows(user, "run_round", application)
    labels = {name: TitleApplication._meta.get_field(name).verbose_name
              for name in RETURNABLE_FIELDS}
    comments = [{"comment": c, "label": labels.get(c.field, c.field)}
                for c in application.return_comments.restrict(user)]
    from tmhub.evaluation.services.works import figures

    works = [{"work": w, "figures": figures(w)} for w in application.works.restrict(user)
             .select_related("contract__institution", "project__institution",
                             "reward_split__institution")]
    from tmhub.evaluation.services.panels import panel_for
    from tmhub.evaluation.views.rating_evidence import evidence_context

    can_change = policies.allows(user, CHANGE, application)
    reviews = [{"review": r, "name": r.expert.full_name
                if policies.allows(user, "view_reviewer", r) else None}
               for r in application.assignments.restrict(user).select_related("expert")]
    return render(request, "evaluation/application_detail.html", {
        "application": application,
        "works": works,
        "reviews": reviews,
        "panel": panel_for(application) if may_run else None,
        "steps": steps,
        "verdict": eligibility_of(application),
        "comments": comments,
        "objections": application.objections.restrict(user),
        "can_change": can_change,
        **evidence_context(application, user, can_change),
        "can_return": _form_step_allowed(application, user, S.RETURNED),
        "can_revoke": _form_step_allowed(application, user, S.REVOKED),
        "can_vote": application.status == S.VOTE and may_run,
        "can_object": application.status == S.RESULT_NOTICE and may_run,
        "may_run": may_run,
        "show_objector": policies.allows(user, "view_objector", application),
    })


@login_required
@require_POST
def application_step(request, pk, target):
    application = _application(request, pk)
    run_step(request, services.step_application, application, target,
             reason=request.POST.get("reason", ""))
    return redirect(application)


@login_required
@require_http_methods(["GET", "POST"])
def application_return(request, pk):
    application = _application(request, pk)
    if not _form_step_allowed(application, request.user, S.RETURNED):
        raise Http404
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_application(application, actor=request.user,
                                        comments=form.comments(),
                                        reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Returned to the applicant with your comments."))
            return redirect(application)
    return render(request, "evaluation/application_return.html",
                  {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def application_vote(request, pk):
    application = _application(request, pk)
    if application.status != S.VOTE or not policies.allows(request.user, "run_round",
                                                            application):
        raise Http404
    from tmhub.evaluation.services.panels import panel_for
    from tmhub.evaluation.services.titles import procedure_in_force

    panel = panel_for(application)
    form = VoteForm(request.POST or None,
                    initial={"panel_size": panel.memberships.count()} if panel else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_vote(application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Vote recorded."))
            return redirect(application)
    return render(request, "evaluation/application_vote.html", {
        "form": form, "application": application, "procedure": procedure_in_force()})


@login_required
@require_http_methods(["GET", "POST"])
def objection_create(request, pk):
    application = _application(request, pk)
    if application.status != S.RESULT_NOTICE or not policies.allows(
            request.user, "run_round", application):
        raise Http404
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_objection(application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objection recorded."))
            return redirect(application)
    return render(request, "evaluation/objection_form.html",
                  {"form": form, "application": application})


@login_required
@require_http_methods(["GET", "POST"])
def objection_resolve(request, pk):
    objection = get_restricted_or_404(Objection.objects.select_related("application"),
                                      request.user, CHANGE, pk=pk)
    if not policies.allows(request.user, "run_round", objection.application) or \
            not objection.is_open:
        raise Http404
    form = ResolveObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_objection(objection, actor=request.user,
                                       upheld=form.cleaned_data["decision"] == "upheld",
                                       resolution=form.cleaned_data["resolution"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Objection resolved."))
            return redirect(objection.application)
    return render(request, "evaluation/objection_resolve.html",
                  {"form": form, "objection": objection,
                   "application": objection.application})


@login_required
@require_http_methods(["GET", "POST"])
def application_revoke(request, pk):
    """The bureau revokes an approved title, with the reason, after confirming (for good);
    anyone else, and any application not approved, is 404."""
    application = _application(request, pk)
    button = _form_button(application, request.user, S.REVOKED)
    if button is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result_services.revoke_title(application, actor=request.user,
                                         reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The title is revoked."))
            return redirect(application)
    return render(request, "evaluation/application_revoke.html", {
        "form": form, "application": application, "confirm": button.confirm})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    policies.require(request.user, "create", TitleRound)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.open_round(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Round opened."))
            return redirect("evaluation:application-list")
    return render(request, "evaluation/round_form.html", {"form": form})
