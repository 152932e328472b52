"""Whether the main navigation lists this module for a scope (tmhub.core.context_processors):
ask the module's policies, so no persona is led to a page it may not use."""

from tmhub.core.roles import Role

# Who works with the districts: the city and district officers run them; managers apply for
# commissioner posts; enterprises, institutions and managers register for events.
USERS = {Role.DISTRICT_OFFICER, Role.MANAGER, Role.ENTERPRISE, Role.INSTITUTION_ADMIN}


def visible(scope) -> bool:
    return scope.is_municipal or bool(scope.roles & USERS)
