"""Core pages: home, import history and the import flow (notifications: notification_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms import ImportUploadForm
from tmhub.core.models import ImportJob
from tmhub.core.tabular.importing import (
    REGISTRY,
    ImportThrottled,
    commit_import,
    start_import,
)


def home(request):
    return render(request, "core/home.html")


@login_required
@require_GET
def my_work_badge(request):
    """The number on the navigation's "My work" entry, loaded after the page (HTMX) so no page
    waits for every module's count; empty when nothing awaits the reader."""
    from tmhub.core.context_processors import _my_work_count

    count = _my_work_count(get_scope(request.user))
    return render(request, "core/_my_work_badge.html", {"count": count})


def _spec_or_404(request, kind):
    spec = REGISTRY.get(kind)
    if spec is None or not spec.can_import(get_scope(request.user)):
        raise Http404
    return spec


@login_required
def import_list(request):
    scope = get_scope(request.user)
    jobs = ImportJob.objects.restrict(request.user).select_related("created_by")[:200]
    kinds = [spec for spec in REGISTRY.values() if spec.can_import(scope)]
    return render(request, "core/import_list.html", {"jobs": jobs, "kinds": kinds})


@login_required
def import_new(request, kind):
    spec = _spec_or_404(request, kind)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = start_import(
                spec, form.cleaned_data["file"], actor=request.user,
                sheet_name=form.cleaned_data.get("sheet") or None,
            )
        except ImportThrottled as exc:
            form.add_error(None, exc.message)
            return render(request, "core/import_new.html", {"form": form, "spec": spec},
                          status=429)
        return redirect("core:import-detail", pk=job.pk)
    return render(request, "core/import_new.html", {"form": form, "spec": spec})


@login_required
def import_detail(request, pk):
    job = get_restricted_or_404(ImportJob, request.user, pk=pk)
    return render(request, "core/import_detail.html", {"job": job, "spec": REGISTRY.get(job.kind)})


@login_required
@require_POST
def import_commit(request, pk):
    job = get_restricted_or_404(ImportJob, request.user, pk=pk)
    _spec_or_404(request, job.kind)
    try:
        job = commit_import(job, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:import-detail", pk=job.pk)
    if job.is_committed:
        messages.success(
            request, _("Import committed: %(count)s records created.") % {"count": job.created_rows}
        )
    elif (job.report.get("file_error") or {}).get("message"):
        messages.error(request, job.report["file_error"]["message"])
    else:
        messages.error(request, _("The data changed since the dry run; nothing was saved."))
    return redirect("core:import-detail", pk=job.pk)


@login_required
def import_template(request, kind):
    """A CSV with the column headers of the import kind, to fill in."""
    spec = _spec_or_404(request, kind)
    header = ",".join(c.label for c in spec.columns)
    response = HttpResponse("\ufeff" + header + "\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
