"""Work views by role: people lists, registrations, the municipal review queue, filings.

Access, fields and steps come from the policies (`policies.py`) and the workflows' buttons;
no view compares a status or re-derives who may act.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tmhub.core import policies
from tmhub.core.access import VIEW, get_restricted_or_404
from tmhub.core.forms import ReasonForm
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.params import positive_int
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.orgs.choices import RegistrationStatus as OrgStatus
from tmhub.orgs.models import InstitutionRegistration
from tmhub.talent import documents
from tmhub.talent import filing as filing_services
from tmhub.talent import registration as reg
from tmhub.talent.choices import FilingStatus
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.filters import PeopleFilter, RegistrationFilter
from tmhub.talent.forms import DocumentForm, FilingForm, ReturnForm
from tmhub.talent.models import (
    AnnualFiling,
    ManagerProfile,
    ManagerRegistration,
    RegistrationDocument,
)
from tmhub.talent.policies import VIEW_PRIVATE


def _names(items) -> str:
    return "、".join(str(i) for i in items)


def _shown(user, name: str, value):
    """An export cell: `value(row)` where the policy lets `user` read field `name` of the
    row, blank elsewhere (the people list holds overseen rows only, so this is a safety net
    that keeps the export's rule the page's rule)."""
    return lambda row: value(row) if name in policies.visible_fields(user, row) else ""


class LoginRequiredListView(RestrictedListView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class PeopleListView(LoginRequiredListView):
    """Managers in the user's scope, every state; export shows masked IDs only."""

    model = ManagerProfile
    filterset_class = PeopleFilter
    template_name = "talent/people_list.html"
    export_filename = "technology-managers"
    personal_data_export = True  # masked IDs, contacts: logged per person

    def base_queryset(self):
        return ManagerProfile.objects.select_related("employer", "work_district").prefetch_related(
            "fields", "competences")

    def get_queryset(self):
        # Oversight only: the public part is the directory.
        queryset = self.base_queryset().restrict(self.request.user, VIEW_PRIVATE)
        if not policies.allows(self.request.user, "oversee", ManagerProfile):
            queryset = queryset.none()
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset,
                                              request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = policies.allows(self.request.user, "import", ManagerProfile)
        return context

    def get_export_columns(self):
        user = self.request.user
        return [
            ExportColumn(gettext_lazy("Full name"), lambda p: p.full_name),
            ExportColumn(gettext_lazy("Registry number"), lambda p: p.registry_number),
            ExportColumn(gettext_lazy("ID number (masked)"),
                         _shown(user, "id_number_masked", lambda p: p.id_number_masked)),
            ExportColumn(gettext_lazy("Identity document"),
                         _shown(user, "identity_type", lambda p: p.get_identity_type_display())),
            ExportColumn(gettext_lazy("Employer"), lambda p: p.employer),
            ExportColumn(gettext_lazy("Work district"), lambda p: p.work_district),
            ExportColumn(gettext_lazy("Training level"), lambda p: p.get_training_level_display()),
            ExportColumn(gettext_lazy("Professional title"),
                         lambda p: p.get_professional_title_display()),
            ExportColumn(gettext_lazy("Entry route"), lambda p: p.get_entry_route_display()),
            ExportColumn(gettext_lazy("Industry fields"), lambda p: _names(p.fields.all())),
            ExportColumn(gettext_lazy("Competences"), lambda p: _names(p.competences.all())),
            ExportColumn(gettext_lazy("Listed in the directory"),
                         _shown(user, "is_listed", lambda p: p.is_listed)),
        ]


class RegistrationListView(LoginRequiredListView):
    model = ManagerRegistration
    filterset_class = RegistrationFilter
    template_name = "talent/registration_list.html"
    export_filename = "manager-registrations"

    def base_queryset(self):
        return ManagerRegistration.objects.select_related(
            "profile", "profile__employer", "profile__work_district")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Full name"), lambda r: r.profile.full_name),
            ExportColumn(gettext_lazy("Registry number"), lambda r: r.registry_number),
            ExportColumn(gettext_lazy("Status"), lambda r: r.get_status_display()),
            ExportColumn(gettext_lazy("Employer"), lambda r: r.profile.employer),
            ExportColumn(gettext_lazy("Work district"), lambda r: r.profile.work_district),
            ExportColumn(gettext_lazy("Submitted at"), lambda r: r.submitted_at),
            ExportColumn(gettext_lazy("Decided at"), lambda r: r.decided_at),
        ]


class ReviewQueueView(LoginRequiredListView):
    """The municipal review queue: endorsed and under-review applications, bulk approve."""

    model = ManagerRegistration
    filterset_class = RegistrationFilter
    template_name = "talent/review_queue.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policies.allows(request.user, "review",
                                                                 ManagerRegistration):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return ManagerRegistration.objects.filter(
            status__in=reg.AWAITING_DECISION
        ).select_related("profile", "profile__employer", "profile__work_district").order_by(
            "endorsed_at", "id")


@login_required
@require_POST
def bulk_approve(request):
    policies.require(request.user, "review", ManagerRegistration)
    ids = [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    registrations = ManagerRegistration.objects.restrict(request.user).filter(
        pk__in=ids, status__in=reg.AWAITING_DECISION)
    done, failed = reg.bulk_approve(list(registrations), actor=request.user,
                                    reason=request.POST.get("reason", "").strip())
    if done:
        messages.success(request, _("%(count)s registrations approved.") % {"count": len(done)})
    for pk, error in failed.items():
        messages.error(request, f"#{pk}: {error}")
    if not ids:
        messages.warning(request, _("Select at least one application."))
    return redirect("talent:review-queue")


@login_required
def registration_detail(request, pk):
    registration = get_restricted_or_404(
        ManagerRegistration.objects.select_related("profile", "profile__employer",
                                                   "profile__work_district", "endorsed_by"),
        request.user, pk=pk,
    )
    buttons, return_button = reg.registration_buttons(registration, request.user)
    submit_offered = any(b.target == S.SUBMITTED for b in buttons)
    return render(request, "talent/registration_detail.html", {
        "registration": registration,
        "profile": registration.profile,
        "buttons": buttons,
        "return_button": return_button,
        "return_form": ReturnForm(),
        "reason_form": ReasonForm(),
        "can_edit_profile": policies.allows(request.user, "edit_profile", registration),
        "comments": [
            (name, comment) for name, comment in registration.field_comments.items()
        ],
        "filings": registration.filings.all(),
        "opinions": reg.opinions(registration),
        "documents": documents.documents_for(registration, request.user),
        "can_attach": policies.allows(request.user, "attach", registration),
        "document_form": DocumentForm(),
        "missing": reg.missing_fields(registration.profile) if submit_offered else [],
    })


@login_required
@require_POST
def registration_transition(request, pk, target):
    registration = get_restricted_or_404(ManagerRegistration, request.user, pk=pk)
    comments = None
    if target == reg.COMMENTED_STEP:
        form = ReturnForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        comments = form.field_comments()
    else:
        form = ReasonForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
    source = registration.status
    try:
        registration = reg.transition_registration(
            registration, target, actor=request.user, reason=reason, field_comments=comments,
            expected_status=source)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, reg.confirmation(registration, source))
    return redirect("talent:registration-detail", pk=pk)


@login_required
@require_POST
def registration_document_add(request, pk):
    """The applicant attaches a supporting document while the application is theirs."""
    registration = get_restricted_or_404(ManagerRegistration, request.user, pk=pk)
    policies.require(request.user, "attach", registration)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(registration)
    try:
        document = documents.add_document(registration, actor=request.user,
                                          kind=form.cleaned_data["kind"],
                                          upload=form.cleaned_data["file"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attached: %(document)s.") % {"document": document})
    return redirect(registration)


@login_required
@require_GET
def registration_document(request, pk):
    """Download a supporting document: the applicant, their employer's administrators and the
    city only (everyone else: 404); each download is recorded."""
    document = get_restricted_or_404(
        RegistrationDocument.objects.select_related("registration"), request.user, pk=pk)
    documents.record_download(document, actor=request.user)
    response = FileResponse(document.file.open("rb"), as_attachment=True,
                            filename=document.original_name)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def registration_document_remove(request, pk):
    document = get_restricted_or_404(
        RegistrationDocument.objects.select_related("registration__profile"), request.user, pk=pk)
    policies.require(request.user, "remove", document)
    registration = document.registration
    try:
        documents.remove_document(document, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed: %(document)s.") % {"document": document})
    return redirect(registration)


# --- annual filing ---------------------------------------------------------------------

class FilingListView(LoginRequiredListView):
    model = AnnualFiling
    template_name = "talent/filing_list.html"
    export_filename = "annual-filings"

    def base_queryset(self):
        queryset = AnnualFiling.objects.select_related(
            "registration__profile", "institution_registration__organization")
        year = positive_int(self.request.GET.get("year"))
        if year:
            queryset = queryset.filter(year=year)
        state = self.request.GET.get("state")
        today = timezone.localdate()
        if state == "overdue":
            queryset = queryset.filter(status=FilingStatus.OPEN, due_date__lt=today)
        elif state in FilingStatus.values:
            queryset = queryset.filter(status=state)
        return queryset

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Year"), lambda f: f.year),
            ExportColumn(gettext_lazy("Filed by"), lambda f: f.filer_name),
            ExportColumn(gettext_lazy("Status"), lambda f: f.get_status_display()),
            ExportColumn(gettext_lazy("Due date"), lambda f: f.due_date),
            ExportColumn(gettext_lazy("Overdue"), lambda f: f.is_overdue),
            ExportColumn(gettext_lazy("Filed at"), lambda f: f.submitted_at),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_open"] = policies.allows(self.request.user, "open", AnnualFiling)
        context["default_year"] = timezone.localdate().year - 1
        context["state"] = self.request.GET.get("state", "")
        context["year"] = self.request.GET.get("year", "")
        return context


@login_required
def filing_detail(request, pk):
    filing = get_restricted_or_404(
        AnnualFiling.objects.select_related("registration__profile",
                                            "institution_registration__organization"),
        request.user, pk=pk,
    )
    # The form is the workflow's one step: offered while it is open, to whoever may file.
    buttons = filing_services.FILING_WORKFLOW.buttons(filing, request.user)
    keys = filing_services.figure_keys(filing)
    # While open, the figures follow the records (a contract recorded after opening counts).
    prefill = filing_services.current_prefill(filing)
    rows = [filing_services.figure_row(key, prefill.get(key), filing.figures.get(key))
            for key in keys]
    form = None
    if buttons:
        form = FilingForm(request.POST or None,
                          figures=[(r["key"], r["label"], r["prefilled"], r["money"])
                                   for r in rows],
                          initial={"summary": filing.summary})
        if request.method == "POST" and form.is_valid():
            try:
                filing_services.submit_filing(
                    filing, actor=request.user, figures=form.figures(),
                    summary=form.cleaned_data["summary"],
                    corrections_note=form.cleaned_data["corrections_note"],
                )
            except ValidationError as exc:
                add_service_errors(form, _prefix_figure_errors(exc))
            else:
                messages.success(request, _("Annual filing submitted. Thank you."))
                return redirect(filing)
    elif request.method == "POST":
        raise Http404
    return render(request, "talent/filing_detail.html", {
        "filing": filing, "rows": rows, "form": form, "buttons": buttons,
    })


def _prefix_figure_errors(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    mapped = {}
    for key, errors in exc.error_dict.items():
        name = key if key in ("summary", "corrections_note") else f"figure_{key}"
        mapped[name] = errors
    return ValidationError(mapped)


@login_required
@require_POST
def filing_open(request):
    """Municipal: open the filings of a year (the beat task does it each 1 January)."""
    policies.require(request.user, "open", AnnualFiling)
    year = positive_int(request.POST.get("year"))
    if not year or not 2000 < year <= timezone.localdate().year:
        messages.error(request, _("Enter a valid year."))
        return redirect("talent:filing-list")
    created = filing_services.open_filings(year, actor=request.user)
    messages.success(request, _("%(count)s filings opened.") % {"count": created})
    return redirect("talent:filing-list")


def institution_directory(request):
    """Registered technology-transfer institutions with their registered managers."""
    queryset = InstitutionRegistration.objects.restrict(request.user, VIEW).filter(
        status=OrgStatus.APPROVED
    ).select_related("organization", "organization__district").annotate(
        manager_count=Count("organization__managers",
                            filter=Q(organization__managers__is_listed=True))
    ).order_by("organization__name")
    # NUL never reaches the database: PostgreSQL refuses it in text (a 500, the crawler found).
    query = request.GET.get("q", "").replace("\x00", "").strip()
    if query:
        queryset = queryset.filter(Q(organization__name__icontains=query)
                                   | Q(organization__name_en__icontains=query)
                                   | Q(registry_number__iexact=query))
    return render(request, "talent/institution_directory.html", {
        "registrations": queryset[:500], "q": query,
    })
