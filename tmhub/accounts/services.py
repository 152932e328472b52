"""Every write to users and memberships, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.accounts.choices import ORG_ROLES, Role
from tmhub.accounts.models import Membership, User
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange


@transaction.atomic
def create_user(*, actor, username: str, password: str, email: str = "", display_name: str = "",
                is_superuser: bool = False) -> User:
    """Create a user with a hashed password."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")}, code="duplicate")
    user = User(username=username, email=email, display_name=display_name,
                is_superuser=is_superuser, is_staff=is_superuser)
    user.set_password(password)
    user.save()
    record_change(actor=actor, obj=user, action=ObjectChange.Action.CREATE, before=None)
    return user


@transaction.atomic
def grant_membership(*, actor, user: User, role: str, organization=None, district=None,
                     department: str = "") -> Membership:
    """Give `user` a role; the scope object the role needs must be present."""
    errors = {}
    if role in ORG_ROLES and organization is None:
        errors["organization"] = _("This role needs an organisation.")
    if role == Role.DISTRICT_OFFICER and district is None:
        errors["district"] = _("A district officer needs a district.")
    if role == Role.DEPARTMENT_OFFICER and not department:
        errors["department"] = _("A department officer needs a department.")
    if errors:
        raise ValidationError(errors, code="required")
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
    return membership
