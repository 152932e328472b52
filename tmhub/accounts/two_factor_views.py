"""Two-factor pages: enrolment on first sign-in (QR code drawn locally), verification with a
code or a recovery code, new recovery codes, and the city's reset for a lost phone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from tmhub.accounts import two_factor
from tmhub.accounts.models import User
from tmhub.core import policies
from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.core.forms import ReasonForm
from tmhub.core.forms_errors import add_service_errors


class CodeForm(forms.Form):
    token = forms.CharField(
        label=pgettext_lazy("two-factor sign-in", "Code"),
        max_length=16,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your recovery codes."
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _show_codes(request, codes):
    response = render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Set up the authenticator: scan the QR code (or type the key), enter a first code; the
    recovery codes are shown once. With an authenticator already set up: the status page."""
    if two_factor.has_confirmed_device(request.user):
        if not request.user.is_verified():
            return redirect("accounts:two-factor-verify")
        return render(
            request,
            "accounts/two_factor_status.html",
            {
                "recovery_left": sum(
                    d.token_set.count()
                    for d in request.user.staticdevice_set.filter(confirmed=True)
                ),
            },
        )
    device = two_factor.start_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_enrolment(
                device, actor=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, device)
            return _show_codes(request, codes)
    response = render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "secret": two_factor.secret_base32(device),
            "qr": two_factor.qr_svg(device),
            "next": _next_url(request),
            "required": two_factor.requires_two_factor(request.user),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Enter the current code (or a recovery code) after the password."""
    if not two_factor.has_confirmed_device(request.user):
        return redirect("accounts:two-factor-setup")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "token",
            ValidationError(
                _(
                    "This code is not valid. Check the time on your phone and enter the current "
                    "code."
                ),
                code="invalid_code",
            ),
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_POST
def recovery_codes_renew(request):
    """New recovery codes (the old ones stop working), shown once."""
    try:
        codes = two_factor.regenerate_recovery_codes(actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:two-factor-setup")
    return _show_codes(request, codes)


@login_required
@require_POST
def two_factor_reset(request, pk):
    """The city removes a person's authenticator (lost phone); they enrol again."""
    policies.require(request.user, "manage_people", User)
    person = get_restricted_or_404(User, request.user, CHANGE, pk=pk)
    policies.require(request.user, "reset_two_factor", person)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        two_factor.reset_two_factor(
            person, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Two-factor sign-in was reset; they set it up again at their next sign-in.")
        )
    return redirect("accounts:user-detail", pk=person.pk)
