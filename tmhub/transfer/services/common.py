"""Helpers shared by the transfer services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tmhub.accounts.selectors import holds_role
from tmhub.core.forms_errors import field_error
from tmhub.core.roles import Role


def require_manager(user, field: str = "user") -> None:
    """Only technology managers (a user holding the manager role) are put on records."""
    if user is None or not holds_role(user, Role.MANAGER):
        raise field_error(
            field,
            _("Only technology managers (users with a manager role) can be assigned."),
            "not_a_manager",
        )
