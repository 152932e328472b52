"""Every write to users and memberships, audited; each asks the accounts policies first."""

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from tmhub.accounts.models import Membership, User
from tmhub.accounts.tokens import rotate_tokens
from tmhub.accounts.two_factor import TWO_FACTOR_ROLES
from tmhub.core import policies
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.roles import ORG_ROLES, Role


@transaction.atomic
def create_user(*, actor, username: str, password: str | None, email: str = "",
                display_name: str = "", is_superuser: bool = False) -> User:
    """Create a user. Without a password the account cannot sign in until the person sets one
    through the invitation link (and no slow password hash is computed for bulk imports).

    The city and institution administrators create accounts; only a superuser (or SYSTEM)
    creates a superuser. Anyone else is refused as if the page did not exist (404)."""
    policies.require(actor, "create_superuser" if is_superuser else "create_user", User)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")}, code="duplicate")
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A user with this e-mail address exists.")},
                              code="duplicate")
    user = User(username=username, email=email, display_name=display_name,
                is_superuser=is_superuser, is_staff=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record_change(actor=actor, obj=user, action=ObjectChange.Action.CREATE, before=None)
    return user


def send_invitation(user: User, *, request) -> None:
    """E-mail the user a link to set their own password (the password-reset flow)."""
    if not user.has_usable_password():
        # Django's reset form skips accounts without a usable password; give a random one.
        user.set_password(secrets.token_urlsafe(24))
        user._changed_by = request.user  # the inviter, in the account's audit log
        user.save(update_fields=["password"])
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(request=request, use_https=request.is_secure(),
                  email_template_name="registration/password_reset_email.txt")


@transaction.atomic
def grant_membership(*, actor, user: User, role: str, organization=None, district=None,
                     department: str = "") -> Membership:
    """Give `user` a role; the scope object the role needs must be present.

    The Membership policy decides who may give which role to whom and where (an institution
    administrator: manager or institution administrator, in their own institutions, to their
    own people or a new account); a refusal is `role_not_grantable` and changes nothing."""
    errors = {}
    if role in ORG_ROLES and organization is None:
        errors["organization"] = _("This role needs an organisation.")
    if role == Role.DISTRICT_OFFICER and district is None:
        errors["district"] = _("A district officer needs a district.")
    if role == Role.DEPARTMENT_OFFICER and not department:
        errors["department"] = _("A department officer needs a department.")
    if errors:
        raise ValidationError(errors, code="required")
    candidate = Membership(user=user, role=role, organization=organization, district=district,
                           department=department or "")
    try:
        policies.require(actor, "grant_role", candidate)
    except Http404:
        # A role is no secret: say why, next to the field, rather than "not found".
        raise ValidationError({"role": ValidationError(
            _("You may not grant this role here."), code="role_not_grantable")}) from None
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, organization=organization, district=district,
        department=department or "",
    )
    if not created and not membership.is_active:
        before = snapshot(membership)
        membership.is_active = True
        membership.save()
        record_change(actor=actor, obj=membership, action=ObjectChange.Action.UPDATE,
                      before=before)
    elif created:
        record_change(actor=actor, obj=membership, action=ObjectChange.Action.CREATE,
                      before=None)
    user.__dict__.pop("_tmhub_scope", None)
    if role in TWO_FACTOR_ROLES:
        # Tokens issued before the role came without a second factor (accounts.two_factor).
        rotate_tokens(user, actor=actor, reason="two_factor_role_granted")
    return membership


@transaction.atomic
def revoke_membership(membership: Membership, *, actor, reason: str = "") -> Membership:
    """End a role (kept for the record, inactive); the reason goes to the audit trail.

    Only whoever could give that role there may end it; anyone else gets 404."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    policies.require(actor, "revoke_role", membership)
    if not membership.is_active:
        raise ValidationError(_("This role has already been revoked."), code="already_revoked")
    before = snapshot(membership)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record_change(actor=actor, obj=membership, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=membership, event_type="accounts.membership.revoked",
                 from_state="active", to_state="revoked", reason=reason)
    return membership
