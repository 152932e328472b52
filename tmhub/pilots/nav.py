"""Whether the main navigation lists this module for a scope (tmhub.core.context_processors):
ask the module's policies, so no persona is led to a page it may not use."""

from tmhub.core.roles import Role


def visible(scope) -> bool:
    """The city, programme and district officers, institution administrators and managers:
    the personas whose scope can hold pilots (the list is empty until one does)."""
    return scope.is_authenticated and (scope.is_municipal or any(
        scope.has_role(r) for r in (Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER,
                                    Role.INSTITUTION_ADMIN, Role.MANAGER)))
