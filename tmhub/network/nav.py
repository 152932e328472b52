"""Whether the main navigation lists this module for a scope (tmhub.core.context_processors):
the public directory is for everyone."""


def visible(scope) -> bool:
    return True
