"""Landing page, programmes, courses and instructors."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.roles import Role
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.training import selectors, services
from tmhub.training.choices import CohortStatus, Module
from tmhub.training.filters import CourseFilter
from tmhub.training.forms import CourseForm, ProgrammeForm
from tmhub.training.models import (
    Certificate,
    Cohort,
    Course,
    DashboardFigure,
    Enrolment,
    ExternalHours,
    Instructor,
    Programme,
    TrainingProvider,
)
from tmhub.training.views.common import form_page


def home(request):
    """Programmes, courses, open cohorts and — for a signed-in manager — their own training."""
    user = request.user
    scope = get_scope(user)
    programmes = (Programme.objects.restrict(user).select_related("provider")
                  .annotate(course_count=Count("courses")).order_by("kind", "level", "code"))
    open_cohorts = (Cohort.objects.restrict(user).filter(status=CohortStatus.OPEN)
                    .select_related("programme__provider").order_by("start_date")[:20])
    context = {"programmes": programmes, "open_cohorts": open_cohorts,
               "dashboard_visible": policies.allows(user, "view_dashboard", DashboardFigure)}
    if scope.is_authenticated:
        year = timezone.localdate().year
        context.update({
            "my_enrolments": Enrolment.objects.filter(trainee=user)
            .select_related("cohort__programme").order_by("-created_at")[:20],
            "my_certificates": Certificate.objects.filter(trainee=user),
            "my_hours": selectors.hours_by_year(user),
            "this_year": year,
            "this_year_hours": selectors.training_hours_exact(user, year),
            "annual_requirement": selectors.annual_requirement(year),
            "managed_providers": TrainingProvider.objects.restrict(user, CHANGE)
            .filter(is_active=True),
            "is_manager": scope.has_role(Role.MANAGER),
            "registers_providers": policies.allows(user, "create", TrainingProvider),
            "records_external_hours": policies.allows(user, "create", ExternalHours),
        })
    return render(request, "training/home.html", context)


def programme_detail(request, pk):
    programme = get_restricted_or_404(Programme.objects.select_related("provider"),
                                      request.user, pk=pk)
    courses = programme.courses.prefetch_related("instructors")
    by_module = [(label, [c for c in courses if c.module == value])
                 for value, label in Module.choices]
    cohorts = (Cohort.objects.restrict(request.user).filter(programme=programme)
               .order_by("-start_date"))
    return render(request, "training/programme_detail.html", {
        "programme": programme, "by_module": by_module, "cohorts": cohorts,
        "total_hours": sum((c.hours for c in courses), 0),
        "can_manage": policies.allows(request.user, "manage", programme),
    })


@login_required
def programme_create(request, provider_pk):
    provider = get_restricted_or_404(TrainingProvider, request.user, pk=provider_pk)
    if not policies.allows(request.user, "manage", provider):
        raise Http404
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(actor=request.user, provider=provider,
                                                  **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Programme created."))
            return redirect(programme)
    return form_page(request, {"form": form, "title": _("New programme"),
                               "subtitle": provider.name})


@login_required
def programme_edit(request, pk):
    programme = get_restricted_or_404(Programme.objects.select_related("provider"),
                                      request.user, "change", pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.update_programme(Programme.objects.get(pk=pk),
                                                  actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(programme)
    return form_page(request, {"form": form, "title": _("Edit programme"),
                               "subtitle": programme.name, "back": programme})


@login_required
def course_create(request, programme_pk):
    programme = get_restricted_or_404(Programme.objects.select_related("provider"),
                                      request.user, "change", pk=programme_pk)
    form = CourseForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        instructors = data.pop("instructors", [])
        try:
            services.create_course(actor=request.user, programme=programme,
                                   instructors=instructors, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Course added."))
            return redirect(programme)
    return form_page(request, {"form": form, "title": _("New course"),
                               "subtitle": programme.name, "back": programme})


@login_required
def course_edit(request, pk):
    course = get_restricted_or_404(Course.objects.select_related("programme__provider"),
                                   request.user, "change", pk=pk)
    form = CourseForm(request.POST or None, instance=course, programme=course.programme)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        instructors = data.pop("instructors", None)
        try:
            course = services.update_course(Course.objects.get(pk=pk), actor=request.user,
                                            instructors=instructors, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(course)
    return form_page(request, {"form": form, "title": _("Edit course"), "subtitle": course,
                               "back": course})


class CourseListView(RestrictedListView):
    model = Course
    filterset_class = CourseFilter
    template_name = "training/course_list.html"
    partial_template_name = "training/_course_results.html"
    export_filename = "training-courses"

    def base_queryset(self):
        return Course.objects.select_related("programme__provider")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Programme"), lambda c: c.programme.code),
            ExportColumn(gettext_lazy("Code"), lambda c: c.code),
            ExportColumn(gettext_lazy("Name"), lambda c: c.name_zh),
            ExportColumn(gettext_lazy("English name"), lambda c: c.name_en),
            ExportColumn(gettext_lazy("Module"), lambda c: c.get_module_display()),
            ExportColumn(gettext_lazy("Class hours"), lambda c: c.hours),
            ExportColumn(gettext_lazy("Level"), lambda c: c.programme.get_level_display()),
            ExportColumn(gettext_lazy("Provider"), lambda c: c.programme.provider.name),
        ]


def course_detail(request, pk):
    course = get_restricted_or_404(
        Course.objects.select_related("programme__provider").prefetch_related(
            Prefetch("instructors", queryset=Instructor.objects.select_related("organization"))),
        request.user, pk=pk)
    upcoming = (course.sessions.filter(date__gte=timezone.localdate())
                .filter(Q(cohort__in=Cohort.objects.restrict(request.user)))
                .select_related("cohort")[:20])
    return render(request, "training/course_detail.html", {
        "course": course, "upcoming": upcoming,
        "can_manage": policies.allows(request.user, "manage", course.programme),
    })


def instructor_list(request):
    instructors = (Instructor.objects.filter(is_active=True)
                   .select_related("organization", "provider").prefetch_related("fields"))
    kind = request.GET.get("kind")
    if kind:
        instructors = instructors.filter(kind=kind)
    return render(request, "training/instructor_list.html", {"instructors": instructors[:500],
                                                             "kind": kind})
