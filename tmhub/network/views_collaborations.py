"""Pages of collaborations, their documents and ratings (issue 14 item 3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import VIEW, get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.history import entries_for
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.network import collaborations
from tmhub.network.choices import CRITERIA, CollaborationStatus, IntroductionStatus
from tmhub.network.filters import CollaborationFilter
from tmhub.network.forms import CollaborationForm, DocumentForm, RatingForm
from tmhub.network.models import Collaboration, CollaborationDocument, Introduction, Rating
from tmhub.network.policies import rater_side
from tmhub.network.views import take_step
from tmhub.network.workflows import COLLABORATION_WORKFLOW


class CollaborationListView(LoginRequiredMixin, RestrictedListView):
    """The collaborations of the user's projects, or of the user's provider."""

    model = Collaboration
    filterset_class = CollaborationFilter
    template_name = "network/collaboration_list.html"
    export_filename = "network-collaborations"

    def base_queryset(self):
        return Collaboration.objects.select_related("project", "provider")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Project"), lambda c: c.project.title),
            ExportColumn(pgettext_lazy("network", "Provider"), lambda c: c.provider.name),
            ExportColumn(gettext_lazy("Start date"), lambda c: c.started_on),
            ExportColumn(gettext_lazy("Fee (fen)"), lambda c: c.fee_fen),
            ExportColumn(gettext_lazy("Status"), lambda c: c.get_status_display()),
        ]


def _data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items()}


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_create(request, introduction_pk):
    introduction = get_restricted_or_404(
        Introduction.objects.select_related("need", "need__project", "provider"),
        request.user, pk=introduction_pk)
    if (introduction.status != IntroductionStatus.ACCEPTED
            or not policies.allows(request.user, "create",
                                   Collaboration(project=introduction.need.project))):
        raise Http404
    if hasattr(introduction, "collaboration"):
        return redirect(introduction.collaboration)
    form = CollaborationForm(request.POST or None, initial={
        "scope": introduction.need.title, "fee_fen": None})
    form.fields.pop("outcome")
    if request.method == "POST" and form.is_valid():
        try:
            collaboration = collaborations.start_collaboration(
                introduction, actor=request.user, **_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Collaboration recorded."))
            return redirect(collaboration)
    return render(request, "network/collaboration_form.html", {
        "form": form, "title": _("Record the collaboration"), "back": introduction})


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_edit(request, pk):
    collaboration = get_restricted_or_404(Collaboration, request.user, "change", pk=pk)
    if collaboration.status != CollaborationStatus.ACTIVE:
        raise Http404
    form = CollaborationForm(request.POST or None,
                             initial=CollaborationForm.initial_for(collaboration))
    if request.method == "POST" and form.is_valid():
        try:
            collaborations.update_collaboration(collaboration, actor=request.user,
                                                **_data(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(collaboration)
    return render(request, "network/collaboration_form.html", {
        "form": form, "title": _("Edit the collaboration"), "back": collaboration})


@require_GET
@login_required
def collaboration_detail(request, pk):
    collaboration = get_restricted_or_404(
        Collaboration.objects.select_related("project", "provider", "introduction__need"),
        request.user, pk=pk)
    side = rater_side(get_scope(request.user), collaboration)
    ratings = Rating.objects.restrict(request.user, VIEW).filter(collaboration=collaboration)
    rated_sides = set(collaboration.ratings.values_list("rater_side", flat=True))
    return render(request, "network/collaboration_detail.html", {
        "collaboration": collaboration, "ratings": ratings,
        "project_visible": policies.allows(request.user, VIEW, collaboration.project),
        "documents": collaboration.documents.select_related("uploaded_by"),
        "managers": collaboration.managers.all(),
        "can_edit": (collaboration.status == CollaborationStatus.ACTIVE
                     and policies.allows(request.user, "change", collaboration)),
        "can_add_document": policies.allows(request.user, "add_document", collaboration),
        "can_rate": (side is not None and side not in rated_sides
                     and collaboration.status == CollaborationStatus.COMPLETED
                     and not collaboration.ratings_released()),
        "waiting_release": bool(rated_sides) and not collaboration.ratings_released(),
        "buttons": COLLABORATION_WORKFLOW.buttons(collaboration, request.user),
        "document_form": DocumentForm(),
        "entries": entries_for(collaboration, request.user),
    })


@require_POST
@login_required
def collaboration_step(request, pk, target):
    collaboration = get_restricted_or_404(Collaboration, request.user, pk=pk)
    return take_step(request, collaboration,
                     lambda r, **kw: collaborations.step(r, target, **kw))


@login_required
@require_http_methods(["GET", "POST"])
def collaboration_rate(request, pk):
    collaboration = get_restricted_or_404(Collaboration, request.user, pk=pk)
    side = rater_side(get_scope(request.user), collaboration)
    if side is None:
        raise Http404
    form = RatingForm(request.POST or None, criteria=CRITERIA[side])
    if request.method == "POST" and form.is_valid():
        try:
            collaborations.rate(collaboration, actor=request.user, scores=form.scores(),
                                comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your rating is saved. It is shown once "
                                        "both sides have rated or the window has closed."))
            return redirect(collaboration)
    return render(request, "network/collaboration_form.html", {
        "form": form, "title": _("Rate the collaboration"), "back": collaboration,
        "submit": _("Submit the rating"),
        "confirm": _("A rating cannot be changed once submitted. Submit it?")})


@require_POST
@login_required
def document_add(request, pk):
    collaboration = get_restricted_or_404(Collaboration, request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            collaborations.add_document(collaboration, actor=request.user,
                                        title=form.cleaned_data["title"],
                                        upload=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Document added."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect(collaboration)


@require_GET
@login_required
def document_download(request, pk):
    """Files are served to the collaboration's sides only (never from the web root)."""
    document = get_restricted_or_404(CollaborationDocument, request.user, pk=pk)
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=document.original_name)
