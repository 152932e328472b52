"""Public directory, profile pages, joining, editing one's profile, the audited ID reveal.

Who may see or do what is asked of the policies (`policies.py`); views parse, ask, call the
service and render.
"""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tmhub.accounts.services import create_user
from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.actors import SYSTEM
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.core.params import positive_int
from tmhub.talent import documents, protection, services
from tmhub.talent import registration as reg
from tmhub.talent.choices import EDITABLE_REGISTRATION_STATUSES
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.filters import DirectoryFilter
from tmhub.talent.forms import ProfileForm, RegistrationStartForm, RevealForm, SignupForm
from tmhub.talent.models import ManagerProfile, ManagerRegistration
from tmhub.talent.personal_data import log_private_view

security_log = logging.getLogger("tmhub.security")


class DirectoryView(RestrictedListView):
    """技术经理人名录: registered, active managers only, for everyone."""

    model = ManagerProfile
    filterset_class = DirectoryFilter
    template_name = "talent/directory.html"
    partial_template_name = "talent/_directory_results.html"
    paginate_by = 20
    max_page_size = 100
    count_cap = 1000  # "more than 1000 records": see CappedCountPaginator
    cache_results = True  # the same searches come again and again (core.result_cache)

    def get_paginate_by(self, queryset):
        return positive_int(self.request.GET.get("page_size"), 20, maximum=self.max_page_size)

    def base_queryset(self):
        return (
            ManagerProfile.objects.filter(is_listed=True)
            .select_related("employer", "work_district")
            .prefetch_related("fields", "competences")
            .only(
                "id", "full_name", "name_en", "bio", "training_level", "professional_title",
                "entry_route", "registry_number", "registered_at", "years_experience",
                "photo", "employer__id", "employer__name", "employer__name_en",
                "work_district__id", "work_district__name_zh", "work_district__name_en",
            )
        )

    def get_queryset(self):
        # Every listed profile is public (the profile policy's rows include is_listed for
        # everyone), so the directory skips the per-user OR conditions that would slow the
        # search down.
        self.filterset = self.filterset_class(self.request.GET or None,
                                              queryset=self.base_queryset(),
                                              request=self.request)
        queryset = self.filterset.qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("name_pinyin", "id")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_oversee"] = policies.allows(user, "oversee", ManagerProfile)
        context["can_review"] = policies.allows(user, "review", ManagerRegistration)
        return context


def manager_detail(request, pk):
    profile = get_restricted_or_404(
        ManagerProfile.objects.select_related("employer", "work_district", "discipline", "user")
        .prefetch_related("fields", "competences"),
        request.user, pk=pk,
    )
    return _manager_page(request, profile)


def _manager_page(request, profile, start_form=None, status=200):
    private = policies.allows(request.user, "view_private", profile)
    if private:
        log_private_view(request, profile)  # PIPL access log
    registration = None
    registrations = []
    if private:
        registrations = list(ManagerRegistration.objects.restrict(request.user)
                             .filter(profile=profile))
        registration = reg.active_registration(profile)
    can_edit = policies.allows(request.user, CHANGE, profile)
    # 申请入库 is offered while there is nothing active, or a draft or returned application.
    can_start = private and can_edit and (
        registration is None or registration.status in EDITABLE_REGISTRATION_STATUSES
    ) and policies.allows(request.user, "submit",
                          registration or ManagerRegistration(profile=profile))
    return render(request, "talent/manager_detail.html", {
        "profile": profile,
        "show_private": private,
        "registration": registration,
        "registrations": registrations,
        "can_edit": can_edit,
        "reveal_form": RevealForm(),
        "start_form": start_form or RegistrationStartForm(),
        "can_start": can_start,
        "missing": reg.missing_fields(profile) if can_start else [],
    }, status=status)


def manager_photo(request, pk):
    """Photos live outside the web root; served only for profiles the user may see."""
    profile = get_restricted_or_404(ManagerProfile, request.user, pk=pk)
    if not profile.photo:
        raise Http404
    return FileResponse(profile.photo.open("rb"))


@login_required
def my_profile(request):
    """The signed-in user's own profile: create it on first visit, edit afterwards."""
    profile = ManagerProfile.objects.filter(user=request.user).first()
    if profile is not None:
        return redirect("talent:manager-edit", pk=profile.pk)
    form = ProfileForm(request.POST or None, request.FILES or None,
                       initial={"full_name": request.user.display_name,
                                "email": request.user.email})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            profile = services.create_profile(
                actor=request.user, user=request.user, id_number=data.pop("id_number"),
                competences=data.pop("competences"), fields=data.pop("fields"), **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Profile saved. You can now apply for registration."))
            return redirect(profile)
    return render(request, "talent/profile_form.html", {"form": form})


@login_required
def manager_edit(request, pk):
    profile = get_restricted_or_404(ManagerProfile, request.user, CHANGE, pk=pk)
    current = reg.active_registration(profile)
    comments = current.field_comments if current else {}
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile,
                       comments=comments)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            profile = services.update_profile(
                ManagerProfile.objects.get(pk=pk), actor=request.user,
                id_number=data.pop("id_number", "") or None,
                competences=data.pop("competences", None), fields=data.pop("fields", None),
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(profile)
    preparing = current is None or current.status in EDITABLE_REGISTRATION_STATUSES
    return render(request, "talent/profile_form.html", {
        "form": form, "profile": profile, "registration": current, "comments": comments,
        "missing": reg.missing_fields(profile) if preparing else [],
    })


@login_required
@require_POST
def manager_reveal_id(request, pk):
    """Show the full ID number once, to the municipal administrator, with a recorded reason."""
    profile = get_restricted_or_404(ManagerProfile, request.user, pk=pk)
    policies.require(request.user, "reveal_id", profile)
    form = RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need the full ID number."))
        return redirect(profile)
    try:
        number = services.reveal_id_number(profile, actor=request.user,
                                           reason=form.cleaned_data["reason"])
    except protection.UndecryptableIdNumber:
        security_log.error("ID number of profile %s cannot be decrypted with TALENT_ID_KEYS",
                           profile.pk)
        messages.error(request, _("This ID number cannot be decrypted with the configured "
                                  "keys. Tell the system administrator."))
        return redirect(profile)
    response = render(request, "talent/reveal.html", {"profile": profile, "number": number})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def registration_start(request, pk):
    """申请入库 in one step: submitted when the profile is complete; otherwise the profile
    page again, listing every missing field with a link to it (nothing is created)."""
    profile = get_restricted_or_404(ManagerProfile, request.user, CHANGE, pk=pk)
    form = RegistrationStartForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manager_page(request, profile, start_form=form)
    try:
        registration = reg.apply_for_registration(
            actor=request.user, profile=profile,
            statement=form.cleaned_data.get("statement", ""),
            documents=documents.document_uploads(request.FILES),
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):  # an active registration, not theirs to submit
            messages.error(request, " ".join(exc.messages))
            return redirect(profile)
        # Missing profile fields are listed by the page itself, with links to them; a bad
        # file is shown at its input.
        for key, errors in exc.error_dict.items():
            if key in form.fields:
                form.add_error(key, errors)
            elif key not in reg.SUBMIT_REQUIRED_FIELDS:
                form.add_error(None, errors)
        if set(exc.error_dict) & set(reg.SUBMIT_REQUIRED_FIELDS):
            messages.error(request, _("Not submitted yet: complete the fields listed below "
                                      "first."))
        return _manager_page(request, profile, start_form=form)
    messages.success(request, reg.confirmation(registration, S.DRAFT))
    return redirect(registration)


def signup(request):
    """Join the platform (then fill in the profile and apply for registration)."""
    if request.user.is_authenticated:
        return redirect("talent:my-profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = create_user(actor=SYSTEM, username=data["username"],
                                   password=data["password"], email=data["email"],
                                   display_name=data["full_name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Now fill in your technology-manager "
                                        "profile."))
            return redirect("talent:my-profile")
    return render(request, "talent/signup.html", {"form": form})
