"""The districts pages (SPEC §9): the districts' overview and page with their figures, liaison
agreements, commissioner posts, matchmaking events and landings. Each form is a front for its
service; each list is restricted by the policies, filtered, paginated and exportable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tmhub.core import metrics, policies
from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import EXPORT_FORMATS, RestrictedListView
from tmhub.core.metrics import Period
from tmhub.core.models import District
from tmhub.core.tabular.exporting import ExportColumn, export_rows
from tmhub.districts import services
from tmhub.districts.choices import ApplicationStatus, PostStatus
from tmhub.districts.filters import AgreementFilter, EventFilter, LandingFilter, PostFilter
from tmhub.districts.forms import (
    AgreementForm,
    ApplicationForm,
    AppointForm,
    EventForm,
    FollowUpForm,
    LandingForm,
    PostForm,
    RegisterForm,
    RenewForm,
)
from tmhub.districts.metrics import DISTRICT_FIGURES, PLAN_PERIOD
from tmhub.districts.models import (
    CommissionerPost,
    EventFollowUp,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)
from tmhub.districts.policies import liaison_partners, runs_any_district, runs_district
from tmhub.districts.views_chain import chain_rows, district_or_404

PLAN = PLAN_PERIOD


def _this_year() -> Period:
    return Period.year(timezone.localdate().year)


def _figures(district_ids, period: Period) -> dict:
    """{key: {district id: value}} of every district figure (one query per figure)."""
    return metrics.compute(DISTRICT_FIGURES, district_ids, period)


def _form_page(request, context):
    return render(request, "districts/form.html", context)


# ------------------------------------------------------------------ overview and district page
@require_http_methods(["GET"])
def home(request):
    """The 16 districts with this year's figures; a district officer's own district first."""
    districts = list(District.objects.all())
    period = _this_year()
    figures = _figures([d.pk for d in districts], period)
    own = get_scope(request.user).district_ids
    rows = [{"district": d, "own": d.pk in own,
             "values": [figures[key][d.pk] for key in DISTRICT_FIGURES]} for d in districts]
    rows.sort(key=lambda r: not r["own"])
    columns = [metrics.get(key) for key in DISTRICT_FIGURES]
    fmt = request.GET.get("export")
    if fmt in EXPORT_FORMATS:
        return export_rows(rows, _figure_columns(columns), fmt, "district-figures")
    return render(request, "districts/home.html", {
        "rows": rows, "columns": columns, "period": period,
        "totals": [sum(figures[key].values()) for key in DISTRICT_FIGURES],
        "can_record": runs_any_district(get_scope(request.user)),
        "can_export": True, "querystring": ""})


def _figure_columns(columns) -> list[ExportColumn]:
    """The overview as a sheet: the district, then each figure (money in yuan)."""
    def value(index, metric):
        if metric.unit == metrics.FEN:
            return lambda r: r["values"][index] / 100
        return lambda r: r["values"][index]

    sheet = [ExportColumn(gettext_lazy("District"), lambda r: r["district"].name)]
    for index, metric in enumerate(columns):
        label = (lazy(lambda m=metric: _("%(figure)s (yuan)") % {"figure": m.label}, str)()
                 if metric.unit == metrics.FEN else metric.label)
        sheet.append(ExportColumn(label, value(index, metric)))
    return sheet


@require_http_methods(["GET"])
def district_detail(request, code):
    """One district: its figures this year and over the plan period, its liaison partners,
    commissioners, vacancies, coming events and (for those who may read them) its landings."""
    district = district_or_404(code)
    year, plan = _this_year(), PLAN
    this_year, over_plan = _figures([district.pk], year), _figures([district.pk], plan)
    figures = [{"metric": metrics.get(key), "year": this_year[key][district.pk],
                "plan": over_plan[key][district.pk]} for key in DISTRICT_FIGURES]
    today = timezone.localdate()
    partners = liaison_partners(district, today)
    posts = CommissionerPost.objects.restrict(request.user).filter(
        district=district).select_related("holder")
    events = MatchEvent.objects.restrict(request.user).filter(
        district=district, held_on__gte=today).order_by("held_on")[:10]
    landings = Landing.objects.restrict(request.user).filter(
        district=district).select_related("contract", "project")[:10]
    return render(request, "districts/district_detail.html", {
        "district": district, "figures": figures, "year": year, "plan": plan,
        "partners": partners, "posts": posts, "events": events, "landings": landings,
        "runs": runs_district(get_scope(request.user), district.pk),
        "chain": chain_rows(district)})


class DistrictList(RestrictedListView):
    """A districts list: restricted, filtered, paginated, exportable (core's listing), with
    the "record" button for whoever runs a district."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = runs_any_district(get_scope(self.request.user))
        context["today"] = timezone.localdate()
        return context


# ------------------------------------------------------------------ liaison agreements
@method_decorator(login_required, name="dispatch")
class AgreementList(DistrictList):
    model = LiaisonAgreement
    filterset_class = AgreementFilter
    template_name = "districts/agreement_list.html"
    export_filename = "liaison-agreements"

    def base_queryset(self):
        return LiaisonAgreement.objects.select_related("district", "institution")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("District"), lambda a: a.district.name),
            ExportColumn(gettext_lazy("Institution"), lambda a: a.institution.name),
            ExportColumn(gettext_lazy("District contact"), lambda a: a.district_contact),
            ExportColumn(gettext_lazy("Institution contact"), lambda a: a.institution_contact),
            ExportColumn(gettext_lazy("Term starts"), lambda a: a.starts_on),
            ExportColumn(gettext_lazy("Term ends"), lambda a: a.ends_on),
            ExportColumn(gettext_lazy("Scope of cooperation"), lambda a: a.scope_text),
        ]


@login_required
@require_http_methods(["GET"])
def agreement_detail(request, pk):
    agreement = get_restricted_or_404(
        LiaisonAgreement.objects.select_related("district", "institution", "renews"),
        request.user, pk=pk)
    return render(request, "districts/agreement_detail.html", {
        "agreement": agreement, "today": timezone.localdate(),
        "can_renew": policies.allows(request.user, "renew", agreement),
        "renewal": LiaisonAgreement.objects.filter(renews=agreement).first(),
        "renew_form": RenewForm()})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    if not policies.allows(request.user, "create", LiaisonAgreement):
        raise Http404
    form = AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agreement = services.create_agreement(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Liaison agreement recorded."))
            return redirect(agreement)
    return _form_page(request, {"form": form, "title": _("New liaison agreement"),
                                "back_url": "districts:agreement_list"})


@login_required
@require_POST
def agreement_renew(request, pk):
    agreement = get_restricted_or_404(LiaisonAgreement, request.user, pk=pk)
    if not policies.allows(request.user, "renew", agreement):
        raise Http404
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            renewal = services.renew_agreement(agreement, actor=request.user,
                                               **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Agreement renewed."))
            return redirect(renewal)
    return render(request, "districts/agreement_detail.html", {
        "agreement": agreement, "today": timezone.localdate(), "can_renew": True,
        "renew_form": form}, status=400)


# ------------------------------------------------------------------ commissioner posts
class PostList(DistrictList):
    model = CommissionerPost
    filterset_class = PostFilter
    template_name = "districts/post_list.html"
    export_filename = "commissioner-posts"

    def base_queryset(self):
        return CommissionerPost.objects.select_related("district", "holder").annotate(
            applications_count=Count("applications")).order_by(
            "district__sort_order", "park", "id")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("District"), lambda p: p.district.name),
            ExportColumn(gettext_lazy("Park or industrial base"), lambda p: p.park),
            ExportColumn(gettext_lazy("Post"), lambda p: p.title_text),
            ExportColumn(gettext_lazy("Full- or part-time"), lambda p: p.get_time_basis_display()),
            ExportColumn(gettext_lazy("Status"), lambda p: p.get_status_display()),
            ExportColumn(gettext_lazy("Commissioner"), lambda p: str(p.holder or "")),
            ExportColumn(gettext_lazy("Term starts"), lambda p: p.term_start),
            ExportColumn(gettext_lazy("Term ends"), lambda p: p.term_end),
        ]


@require_http_methods(["GET"])
def post_detail(request, pk):
    post = get_restricted_or_404(CommissionerPost.objects.select_related("district", "holder"),
                                 request.user, pk=pk)
    context = {"post": post, "runs": runs_district(get_scope(request.user), post.district_id),
               "can_publish": policies.allows(request.user, "publish", post),
               "can_apply": request.user.is_authenticated
               and policies.allows(request.user, "apply", post),
               "can_appoint": policies.allows(request.user, "appoint", post)}
    if policies.allows(request.user, "view_applications", post):
        context["applications"] = post.applications.select_related("applicant")
    if context["can_apply"]:
        context["apply_form"] = ApplicationForm()
    if context["can_appoint"]:
        context["appoint_form"] = AppointForm(post=post)
    if request.user.is_authenticated:
        context["mine"] = post.applications.filter(applicant=request.user).first()
    return render(request, "districts/post_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request):
    if not policies.allows(request.user, "create", CommissionerPost):
        raise Http404
    form = PostForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Commissioner post saved as a draft."))
            return redirect(post)
    return _form_page(request, {"form": form, "title": _("New commissioner post"),
                                "back_url": "districts:post_list"})


@login_required
@require_POST
def post_publish(request, pk):
    post = get_restricted_or_404(CommissionerPost, request.user, pk=pk)
    if not policies.allows(request.user, "publish", post):
        raise Http404
    try:
        services.publish_vacancy(post, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vacancy published: registered managers may apply."))
    return redirect(post)


@login_required
@require_POST
def post_apply(request, pk):
    post = get_restricted_or_404(CommissionerPost, request.user, pk=pk)
    if not policies.allows(request.user, "apply", post):
        raise Http404
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.apply_for_post(post, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application sent to the district."))
            return redirect(post)
    return render(request, "districts/post_detail.html", {
        "post": post, "can_apply": True, "apply_form": form}, status=400)


@login_required
@require_POST
def post_appoint(request, pk):
    post = get_restricted_or_404(CommissionerPost, request.user, pk=pk)
    if not policies.allows(request.user, "appoint", post):
        raise Http404
    form = AppointForm(request.POST, post=post)
    if form.is_valid():
        try:
            services.appoint(form.cleaned_data["application"], actor=request.user,
                             term_start=form.cleaned_data["term_start"],
                             term_end=form.cleaned_data["term_end"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Commissioner appointed."))
            return redirect(post)
    return render(request, "districts/post_detail.html", {
        "post": post, "can_appoint": True, "appoint_form": form,
        "applications": post.applications.select_related("applicant")}, status=400)


# ------------------------------------------------------------------ events
class EventList(DistrictList):
    model = MatchEvent
    filterset_class = EventFilter
    template_name = "districts/event_list.html"
    export_filename = "matchmaking-events"

    def base_queryset(self):
        return MatchEvent.objects.select_related("district", "field").annotate(
            registered=Count("registrations", distinct=True),
            attended_count=Count("registrations", filter=Q(registrations__attended=True),
                                 distinct=True),
            landings_count=Count("landings", distinct=True)).order_by("-held_on", "-id")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("District"), lambda e: e.district.name),
            ExportColumn(gettext_lazy("Title"), lambda e: e.title_text),
            ExportColumn(gettext_lazy("Kind of event"), lambda e: e.get_kind_display()),
            ExportColumn(gettext_lazy("Organiser"), lambda e: e.organiser),
            ExportColumn(gettext_lazy("Held on"), lambda e: e.held_on),
            ExportColumn(gettext_lazy("Venue"), lambda e: _("Online") if e.online else e.place),
            ExportColumn(gettext_lazy("Capacity"), lambda e: e.capacity),
            ExportColumn(gettext_lazy("Registered participants"), lambda e: e.registered),
            ExportColumn(gettext_lazy("Attended"), lambda e: e.attended_count),
            ExportColumn(gettext_lazy("Landings"), lambda e: e.landings_count),
        ]


@require_http_methods(["GET"])
def event_detail(request, pk):
    event = get_restricted_or_404(MatchEvent.objects.select_related("district", "field"),
                                  request.user, pk=pk)
    return render(request, "districts/event_detail.html", _event_context(request, event))


def _event_context(request, event, follow_up_form=None):
    manage = policies.allows(request.user, "manage", event)
    context = {"event": event, "manage": manage, "runs": manage,
               "registered_count": event.registrations.count(),
               "can_register": request.user.is_authenticated
               and policies.allows(request.user, "register", event),
               "landings": Landing.objects.restrict(request.user).filter(event=event)}
    if manage:
        context["registrations"] = event.registrations.select_related("person", "organization")
        context["follow_ups"] = (EventFollowUp.objects.restrict(request.user)
                                 .filter(event=event)
                                 .select_related("first__person", "second__person",
                                                 "first__organization",
                                                 "second__organization"))
        if event.is_past and follow_up_form is None:
            follow_up_form = FollowUpForm(event=event)
        context["follow_up_form"] = follow_up_form
    if context["can_register"]:
        context["register_form"] = RegisterForm(user=request.user)
    if request.user.is_authenticated:
        context["mine"] = event.registrations.filter(person=request.user).first()
    return context


@login_required
@require_POST
def event_follow_up(request, pk):
    """Record an introduction made at the event (its district, after the event)."""
    event = get_restricted_or_404(MatchEvent.objects.select_related("district", "field"),
                                  request.user, pk=pk)
    if not policies.allows(request.user, "manage", event):
        raise Http404
    form = FollowUpForm(request.POST, event=event)
    if form.is_valid():
        try:
            services.record_follow_up(event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect(event)
    return render(request, "districts/event_detail.html",
                  _event_context(request, event, follow_up_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not policies.allows(request.user, "create", MatchEvent):
        raise Http404
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Event saved."))
            return redirect(event)
    return _form_page(request, {"form": form, "title": _("New matchmaking event"),
                                "back_url": "districts:event_list"})


@login_required
@require_POST
def event_register(request, pk):
    event = get_restricted_or_404(MatchEvent, request.user, pk=pk)
    if not policies.allows(request.user, "register", event):
        raise Http404
    form = RegisterForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.register_for_event(event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("You are registered for the event."))
            return redirect(event)
    return render(request, "districts/event_detail.html", {
        "event": event, "can_register": True, "register_form": form,
        "registered_count": event.registrations.count()}, status=400)


@login_required
@require_POST
def event_attendance(request, pk):
    event = get_restricted_or_404(MatchEvent, request.user, pk=pk)
    if not policies.allows(request.user, "manage", event):
        raise Http404
    ids = [v for v in request.POST.getlist("attended") if v.isdigit() and len(v) < 12]
    try:
        changed = services.record_attendance(event, actor=request.user, attended_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attendance saved (%(n)s changed).") % {"n": changed})
    return redirect(event)


# ------------------------------------------------------------------ landings
@method_decorator(login_required, name="dispatch")
class LandingList(DistrictList):
    model = Landing
    filterset_class = LandingFilter
    template_name = "districts/landing_list.html"
    export_filename = "landings"

    def base_queryset(self):
        return Landing.objects.select_related("district", "contract", "project", "event",
                                              "financing")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("District"), lambda x: x.district.name),
            ExportColumn(gettext_lazy("Kind of landing"), lambda x: x.get_kind_display()),
            ExportColumn(gettext_lazy("What landed"), lambda x: x.title),
            ExportColumn(gettext_lazy("Date"), lambda x: x.occurred_on),
            ExportColumn(gettext_lazy("Company name"), lambda x: x.company_name),
            ExportColumn(gettext_lazy("Unified social credit code"), lambda x: x.credit_code),
            ExportColumn(gettext_lazy("Contract"), lambda x: x.contract.number
                         if x.contract else ""),
            ExportColumn(gettext_lazy("Financing round"),
                         lambda x: str(x.financing) if x.financing_id else ""),
            ExportColumn(gettext_lazy("Investor"), lambda x: x.investor),
            ExportColumn(gettext_lazy("Amount (yuan)"), lambda x: x.amount_fen / 100),
            ExportColumn(gettext_lazy("From the event"), lambda x: str(x.event or "")),
        ]


@login_required
@require_http_methods(["GET"])
def landing_detail(request, pk):
    landing = get_restricted_or_404(
        Landing.objects.select_related("district", "contract", "project", "event", "financing"),
        request.user, pk=pk)
    return render(request, "districts/landing_detail.html", {
        "landing": landing, "managers": landing.managers.all()})


@login_required
@require_http_methods(["GET", "POST"])
def landing_create(request):
    if not policies.allows(request.user, "create", Landing):
        raise Http404
    form = LandingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            landing = services.record_landing(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Landing recorded."))
            return redirect(landing)
    return _form_page(request, {"form": form, "title": _("Record a landing"),
                                "back_url": "districts:landing_list"})


__all__ = ["ApplicationStatus", "PostStatus"]
