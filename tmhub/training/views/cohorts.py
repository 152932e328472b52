"""Cohorts: planning, enrolment, attendance sheets, score sheets, enrolments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms import ReasonForm
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.training import services
from tmhub.training.choices import ACTIVE_ENROLMENT, AttendanceStatus
from tmhub.training.choices import EnrolmentStatus as E
from tmhub.training.completion import verdict_for
from tmhub.training.filters import CohortFilter, EnrolmentFilter
from tmhub.training.forms import (
    AssessmentForm,
    BulkEnrolForm,
    CohortForm,
    EnrolForm,
    MentorForm,
    SessionForm,
)
from tmhub.training.models import (
    Assessment,
    AssessmentResult,
    Attendance,
    Cohort,
    Enrolment,
    Programme,
    Session,
)
from tmhub.training.policies import enrollable_trainees
from tmhub.training.services.attendance import ATTENDING
from tmhub.training.services.enrolment import waitlist_position
from tmhub.training.views.common import form_page, managed_cohort_or_404
from tmhub.training.workflows import COHORT_WORKFLOW, ENROLMENT_WORKFLOW


class CohortListView(RestrictedListView):
    model = Cohort
    filterset_class = CohortFilter
    template_name = "training/cohort_list.html"
    export_filename = "training-cohorts"

    def base_queryset(self):
        return Cohort.objects.select_related("programme__provider").annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=E.ENROLLED)))

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Code"), lambda c: c.code),
            ExportColumn(gettext_lazy("Title"), lambda c: c.title),
            ExportColumn(gettext_lazy("Provider"), lambda c: c.programme.provider.name),
            ExportColumn(gettext_lazy("Level"), lambda c: c.programme.get_level_display()),
            ExportColumn(gettext_lazy("Status"), lambda c: c.get_status_display()),
            ExportColumn(gettext_lazy("Start date"), lambda c: c.start_date),
            ExportColumn(gettext_lazy("End date"), lambda c: c.end_date),
            ExportColumn(gettext_lazy("Capacity"), lambda c: c.capacity),
            ExportColumn(gettext_lazy("Enrolled"), lambda c: c.enrolled),
        ]


def cohort_detail(request, pk):
    cohort = get_restricted_or_404(Cohort.objects.select_related("programme__provider"),
                                   request.user, pk=pk)
    user = request.user
    manage = policies.allows(user, "manage", cohort)
    cohort.seats_counted = cohort.seats_taken()  # once for the page and every button on it
    context = {
        "cohort": cohort, "can_manage": manage,
        "can_mark_attendance": policies.allows(user, "mark_attendance", cohort),
        "can_record_scores": policies.allows(user, "record_scores", cohort),
        "sessions": cohort.sessions.select_related("course", "instructor"),
        "assessments": cohort.assessments.select_related("course"),
        "seats_taken": cohort.seats_counted,
        "waiting": cohort.enrolments.filter(status=E.WAITLISTED).count(),
        "buttons": COHORT_WORKFLOW.buttons(cohort, user),
        "reason_form": ReasonForm(),
    }
    if user.is_authenticated:
        context["my_enrolment"] = (Enrolment.objects.filter(cohort=cohort, trainee=user)
                                   .order_by("-created_at").first())
        context["can_self_enrol"] = policies.allows(user, "enrol", cohort)
        context["can_bulk_enrol"] = policies.allows(user, "enrol_others", cohort)
        context["enrol_form"] = EnrolForm()
    if manage:
        enrolments = (cohort.enrolments.select_related("trainee", "organization")
                      .order_by("status", "created_at"))
        # The quick steps of each row; those that need a reason are on the enrolment's page.
        context["enrolments"] = [
            (e, [b for b in ENROLMENT_WORKFLOW.buttons(e, user)
                 if b.enabled and not b.needs_reason])
            for e in enrolments
        ]
        context["mentor_form"] = MentorForm(provider=cohort.programme.provider_id)
    return render(request, "training/cohort_detail.html", context)


@login_required
def cohort_create(request, programme_pk):
    programme = get_restricted_or_404(Programme.objects.select_related("provider"),
                                      request.user, "change", pk=programme_pk)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(actor=request.user, programme=programme,
                                            **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Cohort created as a draft."))
            return redirect(cohort)
    return form_page(request, {"form": form, "title": _("New cohort"),
                               "subtitle": programme.name, "back": programme})


@login_required
def cohort_edit(request, pk):
    cohort = managed_cohort_or_404(request, pk)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            cohort = services.update_cohort(Cohort.objects.get(pk=pk), actor=request.user,
                                            **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(cohort)
    return form_page(request, {"form": form, "title": _("Edit cohort"), "subtitle": cohort,
                               "back": cohort})


@login_required
@require_POST
def cohort_transition(request, pk, target):
    cohort = get_restricted_or_404(Cohort, request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.transition_cohort(cohort, target, actor=request.user,
                                   reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("training:cohort-detail", pk=pk)


@login_required
def session_create(request, cohort_pk):
    cohort = managed_cohort_or_404(request, cohort_pk)
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_session(cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect(cohort)
    return form_page(request, {"form": form, "title": _("New session"), "subtitle": cohort,
                               "back": cohort})


@login_required
def assessment_create(request, cohort_pk):
    cohort = managed_cohort_or_404(request, cohort_pk)
    form = AssessmentForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_assessment(cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Assessment added."))
            return redirect(cohort)
    return form_page(request, {"form": form, "title": _("New assessment"), "subtitle": cohort,
                               "back": cohort})


@login_required
@require_POST
def cohort_enrol(request, pk):
    cohort = get_restricted_or_404(Cohort, request.user, pk=pk)
    form = EnrolForm(request.POST)
    form.is_valid()
    try:
        enrolment = services.request_enrolment(
            cohort, actor=request.user, motivation=form.cleaned_data.get("motivation", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(cohort)
    messages.success(request, _("Request sent. The provider will confirm your place."))
    return redirect(enrolment)


def _bulk_candidates(request, cohort):
    active = Enrolment.objects.filter(cohort=cohort, status__in=ACTIVE_ENROLMENT)
    return (enrollable_trainees(get_scope(request.user), cohort)
            .exclude(pk__in=active.values("trainee")).order_by("display_name", "username"))


@login_required
def cohort_bulk_enrol(request, pk):
    cohort = get_restricted_or_404(Cohort.objects.select_related("programme__provider"),
                                   request.user, pk=pk)
    if not policies.allows(request.user, "enrol_others", cohort):
        raise Http404
    form = BulkEnrolForm(request.POST or None, candidates=_bulk_candidates(request, cohort))
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped = services.bulk_enrol(cohort, list(form.cleaned_data["trainees"]),
                                                   actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)s enrolment requests sent for approval.")
                             % {"count": len(created)})
            for _person, reason in skipped:
                messages.warning(request, reason)
            return redirect(cohort)
    return form_page(request, {"form": form, "title": _("Enrol managers"), "subtitle": cohort,
                               "back": cohort})


@login_required
def session_attendance(request, pk):
    """The attendance sheet of one session: every attending trainee, one status each."""
    session = _session_or_404(request, pk)
    enrolments = list(session.cohort.enrolments.filter(status__in=ATTENDING)
                      .select_related("trainee").order_by("trainee__display_name", "id"))
    current = dict(Attendance.objects.filter(session=session).values_list("enrolment_id",
                                                                         "status"))
    if request.method == "POST":
        entries = {}
        for enrolment in enrolments:
            value = request.POST.get(f"status-{enrolment.pk}", "")
            if value:
                entries[enrolment.pk] = value
        try:
            services.record_attendance(session, entries, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(session.cohort)
    rows = [(e, current.get(e.pk, "")) for e in enrolments]
    return render(request, "training/attendance_sheet.html", {
        "session": session, "cohort": session.cohort, "rows": rows,
        "statuses": AttendanceStatus.choices,
    })


def _session_or_404(request, pk):
    try:
        session = Session.objects.select_related("cohort__programme__provider", "course").get(
            pk=pk)
    except (Session.DoesNotExist, ValueError):
        raise Http404
    managed_cohort_or_404(request, session.cohort_id)
    return session


@login_required
def assessment_scores(request, pk):
    try:
        assessment = Assessment.objects.select_related("cohort__programme__provider").get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404
    managed_cohort_or_404(request, assessment.cohort_id)
    enrolments = list(assessment.cohort.enrolments.filter(status__in=ATTENDING)
                      .select_related("trainee").order_by("trainee__display_name", "id"))
    current = dict(AssessmentResult.objects.filter(assessment=assessment)
                   .values_list("enrolment_id", "score"))
    if request.method == "POST":
        scores = {e.pk: request.POST.get(f"score-{e.pk}", "").strip() for e in enrolments}
        try:
            services.record_scores(assessment, scores, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Scores saved."))
            return redirect(assessment.cohort)
    rows = [(e, current.get(e.pk)) for e in enrolments]
    return render(request, "training/score_sheet.html", {
        "assessment": assessment, "cohort": assessment.cohort, "rows": rows})


class EnrolmentListView(LoginRequiredMixin, RestrictedListView):
    model = Enrolment
    filterset_class = EnrolmentFilter
    template_name = "training/enrolment_list.html"
    export_filename = "training-enrolments"

    def base_queryset(self):
        return Enrolment.objects.select_related("trainee", "organization", "cohort")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Trainee"), lambda e: str(e.trainee)),
            ExportColumn(gettext_lazy("Employer"), lambda e: e.organization or ""),
            ExportColumn(gettext_lazy("Cohort"), lambda e: e.cohort.code),
            ExportColumn(gettext_lazy("Status"), lambda e: e.get_status_display()),
            ExportColumn(gettext_lazy("Requested"), lambda e: e.get_source_display()),
            ExportColumn(gettext_lazy("Class hours attended"), lambda e: e.hours_attended),
            ExportColumn(gettext_lazy("Requested at"), lambda e: e.created_at),
        ]


def enrolment_detail(request, pk):
    enrolment = get_restricted_or_404(
        Enrolment.objects.select_related("cohort__programme__provider", "trainee",
                                         "organization"), request.user, pk=pk)
    verdict = verdict_for(enrolment) if enrolment.cohort.programme.level else None
    return render(request, "training/enrolment_detail.html", {
        "enrolment": enrolment, "cohort": enrolment.cohort, "verdict": verdict,
        "attendance": enrolment.attendance.select_related("session__course"),
        "results": enrolment.results.select_related("assessment"),
        "mentors": enrolment.mentors.select_related("mentor"),
        "buttons": ENROLMENT_WORKFLOW.buttons(enrolment, request.user),
        "position": waitlist_position(enrolment),
        "certificate": getattr(enrolment, "certificate", None),
        "can_manage": policies.allows(request.user, "manage", enrolment),
    })


@login_required
@require_POST
def enrolment_action(request, pk, target):
    """Take the step of one of the enrolment's buttons (its target status)."""
    enrolment = get_restricted_or_404(Enrolment.objects.select_related("cohort"), request.user,
                                      pk=pk)
    try:
        services.take_step(enrolment, target, actor=request.user,
                           reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith(
        "/training/") else enrolment.get_absolute_url())


@login_required
@require_POST
def mentor_assign(request, pk):
    enrolment = get_restricted_or_404(Enrolment.objects.select_related("cohort"), request.user,
                                      pk=pk)
    managed_cohort_or_404(request, enrolment.cohort_id)
    form = MentorForm(request.POST, provider=enrolment.cohort.programme.provider_id)
    if form.is_valid():
        try:
            services.assign_mentor(enrolment, actor=request.user,
                                   mentor=form.cleaned_data["mentor"],
                                   notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Mentor assigned."))
    else:
        messages.error(request, _("Choose a mentor."))
    return redirect(enrolment)
