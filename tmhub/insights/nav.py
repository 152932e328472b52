"""Whether the main navigation lists this module for a scope (tmhub.core.context_processors):
ask the module's policies, so no persona is led to a page it may not use."""


def visible(scope) -> bool:
    from tmhub.insights.policies import is_conference_member

    return is_conference_member(scope)
