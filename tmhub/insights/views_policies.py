"""The policy library (发挥政策合力): city and district support policies for technology
managers, public once published, each with the platform rules that carry it out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.models import District
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.insights import services
from tmhub.insights.filters import PolicyFilter
from tmhub.insights.forms import PolicyForm, WithdrawForm
from tmhub.insights.models import SupportPolicy


def _may_add(user) -> bool:
    return user.is_authenticated and policies.allows(user, "create", SupportPolicy)


class PolicyListView(RestrictedListView):
    """`/insights/policies/`: every published policy (and, for the city and a district's
    officers, their drafts), searchable by title, number, issuer and summary."""

    model = SupportPolicy
    filterset_class = PolicyFilter
    template_name = "insights/policy_list.html"
    export_filename = "support-policies"
    district = None

    def base_queryset(self):
        rows = SupportPolicy.objects.select_related("district")
        return rows.filter(district=self.district) if self.district is not None else rows

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("title"), lambda p: p.display_title),
            ExportColumn(gettext_lazy("issued by"), lambda p: p.issuer),
            ExportColumn(gettext_lazy("document number"), lambda p: p.number),
            ExportColumn(gettext_lazy("issued on"), lambda p: p.issued_on),
            ExportColumn(gettext_lazy("level"), lambda p: p.get_level_display()),
            ExportColumn(gettext_lazy("district"),
                         lambda p: p.district.name if p.district else ""),
            ExportColumn(gettext_lazy("status"), lambda p: p.get_status_display()),
            ExportColumn(gettext_lazy("example, not a real policy"),
                         lambda p: _("Yes") if p.is_example else ""),
            ExportColumn(gettext_lazy("link to the official text"), lambda p: p.link),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_add"] = _may_add(self.request.user)
        context["district"] = self.district
        context["districts"] = District.objects.all()
        return context


class DistrictPolicyListView(PolicyListView):
    """`/insights/policies/district/<code>/`: one district's policies."""

    def dispatch(self, request, *args, code="", **kwargs):
        if not (code.isascii() and code.isalnum() and len(code) <= 12):
            raise Http404
        self.district = get_object_or_404(District, code=code)
        return super().dispatch(request, *args, **kwargs)


@require_GET
def policy_detail(request, pk):
    policy = get_restricted_or_404(
        SupportPolicy.objects.select_related("district", "drafted_by", "published_by")
        .prefetch_related("reward_rules", "title_rules__level"), request.user, pk=pk)
    user = request.user
    return render(request, "insights/policy_detail.html", {
        "policy": policy, "object": policy,
        "may_edit": user.is_authenticated and policies.allows(user, "edit", policy),
        "may_publish": user.is_authenticated and policies.allows(user, "publish", policy),
        "may_withdraw": user.is_authenticated and policies.allows(user, "withdraw", policy),
        "withdraw_form": WithdrawForm(),
    })


def _rules(data) -> dict:
    fields = dict(data)
    return {"reward_rules": list(fields.pop("reward_rules", [])),
            "title_rules": list(fields.pop("title_rules", [])), **fields}


@login_required
@require_http_methods(["GET", "POST"])
def policy_create(request):
    if not _may_add(request.user):
        raise Http404
    scope = get_scope(request.user)
    initial = {}
    if not scope.is_municipal:
        initial = {"level": "district"}
    form = PolicyForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.create_policy(actor=request.user, **_rules(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Policy saved as a draft; another person publishes "
                                        "it."))
            return redirect(policy)
    return render(request, "insights/form.html", {"form": form, "title": _("New policy"),
                                                  "library": True})


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk):
    policy = get_restricted_or_404(SupportPolicy, request.user, pk=pk)
    if not policies.allows(request.user, "edit", policy):
        raise Http404
    initial = {f: getattr(policy, f) for f in services.POLICY_FIELDS}
    initial["reward_rules"] = list(policy.reward_rules.all())
    initial["title_rules"] = list(policy.title_rules.all())
    form = PolicyForm(request.POST or None, scope=get_scope(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_policy(actor=request.user, policy=policy, **_rules(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Policy saved."))
            return redirect(policy)
    return render(request, "insights/form.html", {"form": form, "title": _("Edit policy"),
                                                  "subtitle": policy, "back": policy,
                                                  "library": True})


@login_required
@require_POST
def policy_publish(request, pk):
    policy = get_restricted_or_404(SupportPolicy, request.user, pk=pk)
    if not policies.allows(request.user, "publish", policy):
        raise Http404
    services.publish_policy(actor=request.user, policy=policy)
    messages.success(request, _("Policy published."))
    return redirect(policy)


@login_required
@require_POST
def policy_withdraw(request, pk):
    policy = get_restricted_or_404(SupportPolicy, request.user, pk=pk)
    if not policies.allows(request.user, "withdraw", policy):
        raise Http404
    form = WithdrawForm(request.POST)
    if form.is_valid():
        services.withdraw_policy(actor=request.user, policy=policy,
                                 reason=form.cleaned_data["reason"])
        messages.success(request, _("Policy withdrawn from the public library."))
        return redirect(policy)
    return render(request, "insights/policy_detail.html", {
        "policy": policy, "object": policy, "may_withdraw": True, "withdraw_form": form},
        status=400)
