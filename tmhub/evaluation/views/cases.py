"""Pages of the case library (issue 17 item 5).

Public (no sign-in): the library of published cases — searchable, filtered by field,
discipline, transfer mode and contract kind, paginated — and each case in the UI language
with only the figures it does not withhold. Staff (the case's editors and the city): the
list of their cases, drafting from a project, editing, reading the records again, the
workflow's steps, the parties' consents, and the case's history in words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.evaluation.case_choices import CaseStatus, WithheldFigure
from tmhub.evaluation.case_facts import consenting_parties, public_facts, readable
from tmhub.evaluation.case_workflows import CASE_WORKFLOW, missing_consents
from tmhub.evaluation.filters_cases import CaseFilter, CaseManageFilter
from tmhub.evaluation.forms_cases import CaseDraftForm, CaseForm, ConsentForm
from tmhub.evaluation.models import CaseConsent, TransferCase
from tmhub.evaluation.services import cases as services
from tmhub.transfer.views.common import run_step, step_buttons

LIST_RELATED = ("institution", "field", "project")


# ---------------------------------------------------------------- public
class CaseListView(RestrictedListView):
    """The public library: published cases only, for everyone."""

    model = TransferCase
    filterset_class = CaseFilter
    template_name = "evaluation/case_list.html"
    paginate_by = 12

    def base_queryset(self):
        return TransferCase.objects.filter(status=CaseStatus.PUBLISHED).select_related(
            *LIST_RELATED).order_by("-published_at", "-id")


def _published(request, pk) -> TransferCase:
    return get_restricted_or_404(
        TransferCase.objects.filter(status=CaseStatus.PUBLISHED).select_related(
            *LIST_RELATED), request.user, VIEW, pk=pk)


@require_GET
def case_detail(request, pk: int):
    """A published case as the public reads it (the same for everyone, so its editors see
    what the public sees): the withheld figures are not in the page at all."""
    case = _published(request, pk)
    shown = public_facts(case.facts, case.withheld())
    return render(request, "evaluation/case_detail.html", {
        "case": case, "facts": readable(shown), "public_data": shown,
        "withheld": sorted(case.withheld()),
        "can_manage": policies.allows(request.user, "see_withheld", case)})


# ---------------------------------------------------------------- staff
class CaseManageListView(LoginRequiredMixin, RestrictedListView):
    """The cases the user drafts, reviews or oversees (the city: all)."""

    model = TransferCase
    filterset_class = CaseManageFilter
    template_name = "evaluation/case_manage_list.html"

    def base_queryset(self):
        return TransferCase.objects.restrict(self.request.user, CHANGE).select_related(
            *LIST_RELATED).order_by("-updated_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", TransferCase)
        return context


def _managed(request, pk, verb="see_withheld") -> TransferCase:
    case = get_restricted_or_404(TransferCase.objects.select_related(*LIST_RELATED),
                                 request.user, VIEW, pk=pk)
    if not policies.allows(request.user, verb, case):
        raise Http404
    return case


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    if not policies.allows(request.user, "create", TransferCase):
        raise Http404
    projects = services.draftable_projects(request.user).order_by("-updated_at")
    initial = {"project": request.GET.get("project")} if request.GET.get("project") else None
    form = CaseDraftForm(request.POST or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        project = data.pop("project")
        try:
            case = services.draft_case(actor=request.user, project=project, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case drafted: its figures were read from the records."))
            return redirect(case)
    return render(request, "evaluation/case_form.html", {
        "form": form, "heading": _("Draft a typical case"), "submit": _("Draft the case"),
        "back_url": reverse("evaluation:case-manage-list"), "empty": not projects.exists()})


@login_required
@require_GET
def case_manage_detail(request, pk: int):
    case = _managed(request, pk)
    user = request.user
    last_return = None
    if case.status == CaseStatus.RETURNED:
        from tmhub.core.audit import history_for
        from tmhub.evaluation.case_choices import CaseEvent

        last_return = history_for(case)[1].filter(
            event_type=CaseEvent.RETURNED).order_by("-time", "-id").first()
    return render(request, "evaluation/case_manage_detail.html", {
        "case": case, "facts": readable(case.facts), "withheld": case.withheld(),
        "withheld_labels": [WithheldFigure(w).label for w in sorted(case.withheld())],
        "steps": step_buttons(CASE_WORKFLOW, case, user,
                              lambda target: reverse("evaluation:case-step",
                                                     args=[case.pk, target])),
        "consents": case.consents.restrict(user).select_related("party"),
        "missing_consents": missing_consents(case),
        "can_edit": policies.allows(user, "edit", case),
        "can_consent": policies.allows(user, "record_consent", case)
        and bool(missing_consents(case)),
        "last_return": last_return})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = _managed(request, pk, "edit")
    form = CaseForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case saved."))
            return redirect(case)
    return render(request, "evaluation/case_form.html", {
        "form": form, "heading": _("Edit the case"), "submit": _("Save"), "case": case,
        "back_url": case.get_absolute_url()})


@login_required
@require_POST
def case_refresh(request, pk: int):
    case = _managed(request, pk, "edit")
    run_step(request, services.refresh_facts, case,
             success=_("The figures were read from the records again."))
    return redirect(case)


@login_required
@require_POST
def case_step(request, pk: int, target: str):
    case = _managed(request, pk)
    run_step(request, services.step_case, case, target, reason=request.POST.get("reason", ""))
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
def case_consent(request, pk: int):
    case = _managed(request, pk, "record_consent")
    given = set(case.consents.values_list("party_id", flat=True))
    parties = [p for p in consenting_parties(case.facts) if p["organization"] not in given]
    form = ConsentForm(request.POST or None, request.FILES or None, parties=parties)
    if request.method == "POST" and form.is_valid():
        from tmhub.orgs.models import Organization

        data = form.cleaned_data
        try:
            services.record_consent(
                case, actor=request.user,
                party=Organization.objects.filter(pk=data["party"]).first(),
                consented_by=data["consented_by"], consented_on=data["consented_on"],
                note=data["note"], upload=data["evidence"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect(case)
    return render(request, "evaluation/case_form.html", {
        "form": form, "heading": _("Record a party's consent to publication"),
        "submit": _("Record the consent"), "case": case, "multipart": True,
        "back_url": case.get_absolute_url()})


@login_required
@require_GET
def consent_evidence(request, pk: int):
    """Consent documents are served only to the case's editors (never from the web root)."""
    consent = get_restricted_or_404(CaseConsent.objects.all(), request.user, VIEW, pk=pk)
    if not consent.evidence:
        raise Http404
    return FileResponse(consent.evidence.open("rb"), as_attachment=True,
                        filename=consent.evidence_name or "consent")
