"""Personal data (PIPL) pages: the city's search of the access log, a person's download of
their own data, and the city's anonymisation of a person (with a confirmation step)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tmhub.accounts.models import User
from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import page_or_404
from tmhub.core.personal_data import AccessKind, PersonalDataAccess
from tmhub.talent import personal_data


class LogFilterForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("Person"), required=False, max_length=100)
    viewer = forms.CharField(label=gettext_lazy("Viewed by"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", "—"), *AccessKind.choices]
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            value = data.get(name)
            if value and not datetime.date(2000, 1, 1) <= value <= datetime.date(2100, 1, 1):
                self.add_error(name, gettext_lazy("Enter a date between 2000 and 2100."))
        return data


@login_required
def access_log(request):
    """Who viewed whose personal data: the city searches by person, viewer, kind and dates."""
    policies.require(request.user, "view_personal_data_log", User)
    form = LogFilterForm(request.GET or None)
    rows = PersonalDataAccess.objects.select_related("subject_type")
    if form.is_valid():
        data = form.cleaned_data
        if data["person"]:
            rows = rows.filter(subject_label__icontains=data["person"])
        if data["viewer"]:
            rows = rows.filter(actor_name__icontains=data["viewer"])
        if data["kind"]:
            rows = rows.filter(kind=data["kind"])
        if data["since"]:
            rows = rows.filter(at__date__gte=data["since"])
        if data["until"]:
            rows = rows.filter(at__date__lte=data["until"])
    page = page_or_404(rows, request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/personal_data_log.html",
        {
            "form": form,
            "page_obj": page,
            "object_list": page.object_list,
            "paginator": page.paginator,
            "querystring": query.urlencode(),
        },
    )


@login_required
def my_data(request):
    """Download everything the platform holds about me (JSON or Excel)."""
    fmt = request.GET.get("format")
    if fmt not in ("json", "xlsx"):
        return render(request, "accounts/my_data.html")
    personal_data.log_own_download(request)
    if fmt == "json":
        body, kind = personal_data.own_data_json(request.user), "application/json"
    else:
        body = personal_data.own_data_xlsx(request.user)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="my-data.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


class AnonymiseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("On whose request, and why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that this cannot be undone: the name, contacts, ID number, photo and "
            "bio are gone for good."
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def anonymise(request, pk):
    """The confirmation page (what is replaced, what is kept), then the anonymisation."""
    person = get_restricted_or_404(User, request.user, CHANGE, pk=pk)
    policies.require(request.user, "anonymise_person", person)
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            label = personal_data.anonymise_person(
                person, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The person was anonymised: %(label)s.") % {"label": label})
            return redirect("accounts:user-detail", pk=person.pk)
    profile = getattr(person, "manager_profile", None)
    return render(
        request,
        "accounts/anonymise_confirm.html",
        {"person": person, "profile": profile, "form": form},
    )
