"""Account pages: my account and API tokens, people management and sign-in lockouts for
administrators, and the password views."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from tmhub.accounts import lockouts, services, tokens
from tmhub.accounts.forms import MembershipForm, TokenCreateForm, UserCreateForm
from tmhub.accounts.models import ApiToken, Membership, User
from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, get_restricted_or_404
from tmhub.core.forms import ReasonForm
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import page_or_404
from tmhub.core.roles import Role

security_log = logging.getLogger("tmhub.security")


@login_required
def profile(request):
    memberships = request.user.memberships.filter(is_active=True).select_related(
        "organization", "district"
    )
    return render(request, "accounts/profile.html", {
        "memberships": memberships,
        "can_view_access_log": policies.allows(request.user, "view_personal_data_log", User),
    })


def _require_people_manager(user) -> None:
    policies.require(user, "manage_people", User)


@login_required
def user_list(request):
    _require_people_manager(request.user)
    users = User.objects.restrict(request.user, VIEW).order_by("username")
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query)
                             | Q(email__icontains=query))
    if role in Role.values:
        users = users.filter(memberships__role=role, memberships__is_active=True).distinct()
    users = users.prefetch_related(Prefetch(
        "memberships", queryset=Membership.objects.filter(is_active=True)
        .select_related("organization", "district")))
    page = page_or_404(users, request)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "page_obj": page, "object_list": page.object_list, "paginator": page.paginator,
        "roles": Role.choices, "q": query, "role": role, "querystring": query_string.urlencode(),
        "can_unlock": policies.allows(request.user, "unlock", User),
    })


@login_required
def user_create(request):
    policies.require(request.user, "create_user", User)
    form = UserCreateForm(request.POST or None, granter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.create_user(
                    actor=request.user, username=data["username"], password=None,
                    email=data["email"], display_name=data["display_name"])
                services.grant_membership(
                    actor=request.user, user=user, role=data["role"],
                    organization=data.get("organization"), district=data.get("district"),
                    department=data.get("department") or "")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            services.send_invitation(user, request=request)
            messages.success(request, _("Account created; an e-mail invites them to set a "
                                        "password."))
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk):
    _require_people_manager(request.user)
    person = get_restricted_or_404(User, request.user, CHANGE, pk=pk)
    memberships = list(person.memberships.select_related("organization", "district").order_by(
        "-is_active", "role"))
    manageable = {m.pk for m in memberships if policies.allows(request.user, "revoke_role", m)}
    form = MembershipForm(request.POST or None, granter=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.grant_membership(
                actor=request.user, user=person, role=data["role"],
                organization=data.get("organization"), district=data.get("district"),
                department=data.get("department") or "")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:user-detail", pk=person.pk)
    # Whoever may manage the person's API tokens (the city) sees and revokes them here.
    api_tokens = (tokens.active_tokens(person)[:50]
                  if policies.allows(request.user, "manage_tokens", person) else None)
    return render(request, "accounts/user_detail.html", {
        "person": person, "memberships": memberships, "manageable": manageable, "form": form,
        "reason_form": ReasonForm(), "api_tokens": api_tokens,
        "can_reset_two_factor": policies.allows(request.user, "reset_two_factor", person),
        "can_anonymise": policies.allows(request.user, "anonymise_person", person),
    })


@login_required
@require_POST
def membership_revoke(request, pk):
    membership = get_restricted_or_404(Membership, request.user, CHANGE, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.revoke_membership(membership, actor=request.user,
                                   reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("accounts:user-detail", pk=membership.user_id)


# --- API tokens ---------------------------------------------------------------------------------

NEW_TOKEN_SESSION_KEY = "accounts.new_api_token"


@login_required
def token_list(request):
    """My API tokens: list, create one, revoke. A new key is carried through the session to
    the page the create redirects to and shown there once (a reload creates no second token)."""
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, key = tokens.issue_token(user=request.user, actor=request.user,
                                         name=form.cleaned_data["name"])
        request.session[NEW_TOKEN_SESSION_KEY] = key
        return redirect("accounts:token-list")
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    page = page_or_404(tokens.active_tokens(request.user), request)
    response = render(request, "accounts/token_list.html", {
        "form": form, "new_key": new_key, "page_obj": page, "object_list": page.object_list,
        "paginator": page.paginator, "lifetime_days": settings.TOKEN_LIFETIME_HOURS // 24,
        "lifetime_hours": settings.TOKEN_LIFETIME_HOURS,
    })
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    """Revoke one token: one's own, or (municipal administrators) anyone's. Otherwise 404."""
    token = get_restricted_or_404(ApiToken.objects.select_related("user"), request.user, CHANGE,
                                  pk=pk)
    tokens.revoke_token(token, actor=request.user, reason="web")
    messages.success(request, _("The API token was revoked; it no longer works."))
    if token.user_id != request.user.pk:
        return redirect("accounts:user-detail", pk=token.user_id)
    return redirect("accounts:token-list")


# --- sign-in lockouts (municipal administrators) -------------------------------------------------

@login_required
def lockout_list(request):
    policies.require(request.user, "unlock", User)
    query = request.GET.get("q", "").strip()[:150]
    page = page_or_404(lockouts.current_lockouts(query), request)
    return render(request, "accounts/lockout_list.html", {
        "page_obj": page, "object_list": page.object_list, "paginator": page.paginator,
        "q": query, "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
    })


@login_required
@require_POST
def lockout_unlock(request):
    policies.require(request.user, "unlock", User)
    kind = request.POST.get("kind", "")
    value = request.POST.get("value", "").strip()[:150]
    if kind not in (lockouts.USERNAME, lockouts.ADDRESS) or not value:
        messages.error(request, _("Choose a lockout to clear."))
    else:
        lockouts.unlock(actor=request.user, kind=kind, value=value)
        messages.success(request, _("Sign-in unlocked for %(value)s.") % {"value": value})
    return redirect("accounts:lockout-list")


# --- password change and reset --------------------------------------------------------------------

class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; the user is named as the actor of the token rotation it causes."""

    def form_valid(self, form):
        form.user._changed_by = self.request.user
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        form.user._changed_by = form.user
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with reset mail limited per entered e-mail address and per client address
    (PASSWORD_RESET_MAILS_PER_EMAIL / _PER_ADDRESS an hour). Over the limit the page answers
    exactly as if the mail had been sent, so it tells nothing about accounts; no mail goes out."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        limited = is_ratelimited(
            self.request, group="accounts.password_reset.address", key="ip",
            rate=f"{settings.PASSWORD_RESET_MAILS_PER_ADDRESS}/h", increment=True,
        ) or is_ratelimited(
            self.request, group="accounts.password_reset.email", key=lambda _g, _r: email,
            rate=f"{settings.PASSWORD_RESET_MAILS_PER_EMAIL}/h", increment=True,
        )
        if limited:
            security_log.warning("Password-reset mail withheld (rate limit): address=%s",
                                 lockouts.client_ip(self.request))
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
