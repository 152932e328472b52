"""Achievement pages: marketplace list, disclosure form, detail, publication, IP, files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.transfer import services
from tmhub.transfer.choices import AchievementStatus
from tmhub.transfer.filters import AchievementFilter
from tmhub.transfer.forms import (
    AchievementForm,
    AttachmentForm,
    InventorFormSet,
    IPRecordForm,
    inventors_from,
)
from tmhub.transfer.models import Achievement, Attachment, IPRecord
from tmhub.transfer.views.common import back, run_step, step_buttons
from tmhub.transfer.workflows import ACHIEVEMENT_WORKFLOW

# What each step of ACHIEVEMENT_WORKFLOW says once taken.
DONE = {
    AchievementStatus.PUBLISHED: gettext_lazy("Published to the marketplace."),
    AchievementStatus.WITHDRAWN: gettext_lazy("Withdrawn; the achievement is confidential again."),
}


class AchievementListView(RestrictedListView):
    """Published achievements for everyone; confidential drafts only for those in scope."""

    model = Achievement
    filterset_class = AchievementFilter
    template_name = "transfer/achievement_list.html"
    partial_template_name = "transfer/_achievement_results.html"
    export_filename = "achievements"
    cache_results = True  # the same searches come again and again (core.result_cache)

    def base_queryset(self):
        return Achievement.objects.select_related("owner", "field")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Title"), lambda a: a.title),
            ExportColumn(gettext_lazy("Owner institution"), lambda a: a.owner.name),
            ExportColumn(gettext_lazy("Industry field"), lambda a: a.field),
            ExportColumn(gettext_lazy("Readiness level"), lambda a: a.trl),
            ExportColumn(gettext_lazy("Transfer mode"), lambda a: a.get_transfer_mode_display()),
            ExportColumn(gettext_lazy("Keywords"), lambda a: a.keywords),
            ExportColumn(gettext_lazy("Status"), lambda a: a.get_status_display()),
            ExportColumn(gettext_lazy("Published at"), lambda a: a.published_at),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = policies.allows(self.request.user, "create", Achievement)
        return context


def achievement_detail(request, pk):
    achievement = get_restricted_or_404(
        Achievement.objects.select_related("owner", "field", "discipline"), request.user, pk=pk
    )
    # Inventors, internal terms, files and projects are for insiders (AchievementPolicy).
    shown = policies.visible_fields(request.user, achievement)
    return render(request, "transfer/achievement_detail.html", {
        "achievement": achievement,
        "shown": shown,
        "can_change": policies.allows(request.user, CHANGE, achievement),
        "inventors": achievement.inventors.all() if "inventors" in shown else [],
        "ip_records": achievement.ip_records.all(),
        "attachments": achievement.attachments.all() if "attachments" in shown else [],
        "projects": achievement.projects.restrict(request.user) if "projects" in shown else [],
        "steps": step_buttons(
            ACHIEVEMENT_WORKFLOW, achievement, request.user,
            lambda target: reverse("transfer:achievement-transition", args=[pk, target])),
        "ip_form": IPRecordForm(prefix="ip"),
        "attachment_form": AttachmentForm(),
    })


@login_required
def achievement_create(request):
    policies.require(request.user, "create", Achievement)
    form = AchievementForm(request.POST or None, user=request.user)
    formset = InventorFormSet(request.POST or None, prefix="inv")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            achievement = services.create_achievement(
                actor=request.user, owner=form.cleaned_data["owner"],
                inventors=inventors_from(formset), **form.service_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Disclosure recorded. It stays confidential until "
                                        "published."))
            return redirect(achievement)
    return render(request, "transfer/achievement_form.html", {"form": form,
                                                              "formset": formset})


@login_required
def achievement_edit(request, pk):
    achievement = get_restricted_or_404(Achievement, request.user, CHANGE, pk=pk)
    form = AchievementForm(request.POST or None, instance=achievement, user=request.user)
    initial = [{"name": i.name, "affiliation": i.affiliation, "share": i.share}
               for i in achievement.inventors.all()]
    formset = InventorFormSet(request.POST or None, prefix="inv", initial=initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.update_achievement(Achievement.objects.get(pk=pk), actor=request.user,
                                        inventors=inventors_from(formset),
                                        **form.service_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(achievement)
    return render(request, "transfer/achievement_form.html", {
        "form": form, "formset": formset, "achievement": achievement})


@login_required
@require_POST
def achievement_transition(request, pk, target):
    achievement = get_restricted_or_404(Achievement, request.user, pk=pk)
    run_step(request, services.step_achievement, achievement, target,
             reason=request.POST.get("reason", ""), success=DONE.get(target))
    return back(achievement)


@login_required
@require_POST
def achievement_ip_add(request, pk):
    achievement = get_restricted_or_404(Achievement, request.user, CHANGE, pk=pk)
    form = IPRecordForm(request.POST, prefix="ip")
    if form.is_valid():
        data = dict(form.cleaned_data)
        run_step(request, services.add_ip_record, achievement, ip_type=data.pop("ip_type"),
                 number=data.pop("number"), success=_("IP record added."), **data)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return back(achievement)


@login_required
@require_POST
def achievement_ip_remove(request, pk):
    record = get_object_or_404(IPRecord.objects.select_related("achievement"), pk=pk)
    policies.require(request.user, CHANGE, record)
    run_step(request, services.remove_ip_record, record, success=_("IP record removed."))
    return back(record.achievement)


@login_required
@require_POST
def achievement_attachment_add(request, pk):
    achievement = get_restricted_or_404(Achievement, request.user, CHANGE, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        run_step(request, services.add_attachment, achievement, upload=form.cleaned_data["file"],
                 success=_("File attached."))
    else:
        messages.error(request, _("Choose a file to upload."))
    return back(achievement)


@login_required
def attachment_download(request, pk):
    """Files are served only to insiders of the achievement (never from the web root)."""
    attachment = get_object_or_404(Attachment, pk=pk)
    policies.require(request.user, "view", attachment)  # AttachmentPolicy: insiders only
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name)
