"""Account pages: my account, and people management for administrators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tmhub.accounts import services
from tmhub.accounts.choices import Role
from tmhub.accounts.forms import MembershipForm, UserCreateForm
from tmhub.accounts.models import Membership, User
from tmhub.core.access import CHANGE, get_restricted_or_404, get_scope
from tmhub.core.forms import ReasonForm
from tmhub.core.forms_errors import add_service_errors


@login_required
def profile(request):
    memberships = request.user.memberships.filter(is_active=True).select_related(
        "organization", "district"
    )
    return render(request, "accounts/profile.html", {"memberships": memberships})


def _may_manage_people(user) -> bool:
    scope = get_scope(user)
    return scope.is_municipal or bool(scope.orgs(Role.INSTITUTION_ADMIN))


def _visible_users(user):
    """Users the administrator may see: everyone for the city, own people for an institution."""
    if get_scope(user).is_municipal:
        return User.objects.all()
    memberships = Membership.objects.restrict(user, CHANGE)
    return User.objects.filter(pk__in=memberships.values("user_id"))


@login_required
def user_list(request):
    if not _may_manage_people(request.user):
        raise Http404
    users = _visible_users(request.user).order_by("username")
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
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(request, "accounts/user_list.html", {
        "page_obj": page, "object_list": page.object_list, "paginator": page.paginator,
        "roles": Role.choices, "q": query, "role": role, "querystring": query_string.urlencode(),
    })


@login_required
def user_create(request):
    if not _may_manage_people(request.user):
        raise Http404
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
    if not _may_manage_people(request.user):
        raise Http404
    person = _get_visible_user(request.user, pk)
    memberships = person.memberships.select_related("organization", "district").order_by(
        "-is_active", "role")
    manageable = set(Membership.objects.restrict(request.user, CHANGE).filter(
        user=person).values_list("pk", flat=True))
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
    return render(request, "accounts/user_detail.html", {
        "person": person, "memberships": memberships, "manageable": manageable, "form": form,
        "reason_form": ReasonForm(),
    })


def _get_visible_user(user, pk):
    try:
        return _visible_users(user).get(pk=pk)
    except (User.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


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
