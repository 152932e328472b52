"""Whether the main navigation lists My work for a scope (tmhub.core.context_processors)."""


def visible(scope) -> bool:
    return scope.is_authenticated
