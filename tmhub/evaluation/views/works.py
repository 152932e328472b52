"""Representative works and the dossier PDF of a title application (issue 16 item 3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.evaluation.forms import PickWorkForm, UploadWorkForm
from tmhub.evaluation.models import RepresentativeWork, TitleApplication
from tmhub.evaluation.services import works as services
from tmhub.evaluation.views.applications import DETAIL_RELATED


@login_required
@require_http_methods(["GET", "POST"])
def work_add(request, pk):
    """The applicant lists a work: picked from a record, or uploaded with evidence."""
    application = get_restricted_or_404(TitleApplication.objects.select_related(*DETAIL_RELATED),
                                        request.user, CHANGE, pk=pk)
    records = services.pickable(application)
    mode = request.POST.get("mode") or request.GET.get("mode") or "pick"
    posted = request.method == "POST"
    pick = PickWorkForm(request.POST if posted and mode == "pick" else None, records=records,
                        prefix="pick")
    upload = UploadWorkForm(request.POST if posted and mode == "upload" else None,
                            request.FILES if posted and mode == "upload" else None,
                            prefix="upload")
    if posted and mode == "pick" and pick.is_valid():
        source, record_id = pick.picked()
        try:
            services.add_work_from_record(
                application, actor=request.user, source=source, record_id=record_id,
                role=pick.cleaned_data["role"], role_detail=pick.cleaned_data["role_detail"],
                kind=pick.cleaned_data["kind"])
        except ValidationError as exc:
            add_service_errors(pick, exc)
        else:
            messages.success(request, _("Representative work listed."))
            return redirect(application.get_absolute_url() + "#works")
    if posted and mode == "upload" and upload.is_valid():
        data = upload.cleaned_data
        try:
            services.add_uploaded_work(
                application, actor=request.user, kind=data["kind"], title=data["title"],
                role=data["role"], role_detail=data["role_detail"],
                happened_on=data["happened_on"], upload=data["evidence"])
        except ValidationError as exc:
            add_service_errors(upload, exc)
        else:
            messages.success(request, _("Representative work listed."))
            return redirect(application.get_absolute_url() + "#works")
    return render(request, "evaluation/work_form.html", {
        "application": application, "pick": pick, "upload": upload, "mode": mode,
        "has_records": any(rows.exists() for rows in records.values())})


@login_required
@require_POST
def work_remove(request, pk):
    work = get_restricted_or_404(RepresentativeWork.objects.select_related("application"),
                                 request.user, CHANGE, pk=pk)
    try:
        services.remove_work(work, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Representative work removed."))
    return redirect(work.application.get_absolute_url() + "#works")


@login_required
def work_evidence(request, pk):
    """Evidence files are served only to those who see the application (never from the web
    root)."""
    work = get_restricted_or_404(RepresentativeWork.objects.all(), request.user, "view", pk=pk)
    if not work.evidence:
        raise Http404
    return FileResponse(work.evidence.open("rb"), as_attachment=True,
                        filename=work.evidence_name or "evidence")


@login_required
def application_dossier(request, pk):
    """The dossier (申报材料) as one PDF, generated from the records now."""
    from tmhub.evaluation.dossier import dossier_pdf

    application = get_restricted_or_404(TitleApplication.objects.select_related(*DETAIL_RELATED),
                                        request.user, "view", pk=pk)
    policies.require(request.user, "view", application)
    response = HttpResponse(dossier_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="title-dossier-{application.pk}.pdf"'
    return response
