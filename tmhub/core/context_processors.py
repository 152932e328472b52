"""Template context: the user's scope and the navigation their roles allow."""

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import get_scope

# (label, url name, predicate on scope). Apps add entries here as they grow. A predicate asks
# the policies (or the import specs, which ask them): an entry is listed only for those who can
# use the page it opens, never as a way to a 404 or a "your role may not" page.
NAVIGATION = [
    (_("My work"), "mywork:home", lambda s: _module_visible("mywork", s)),
    (_("Organisations"), "orgs:organization-list", lambda s: True),
    (_("Institution registration"), "orgs:registration-list", lambda s: True),
    (_("Technology managers"), "talent:directory", lambda s: True),
    (_("Training"), "training:home", lambda s: True),
    (_("Transfer"), "transfer:home", lambda s: True),
    (_("Service providers"), "matching:providers-for-need", lambda s: True),
    # The milestone-2 modules: each one's nav.visible(scope) asks its own policies.
    (_("Resource network"), "network:home", lambda s: _module_visible("network", s)),
    (_("Pilots"), "pilots:home", lambda s: _module_visible("pilots", s)),
    (_("Districts"), "districts:home", lambda s: _module_visible("districts", s)),
    (_("Titles and evaluation"), "evaluation:home", lambda s: _module_visible("evaluation", s)),
    (_("Oversight"), "insights:home", lambda s: _module_visible("insights", s)),
]


def _module_visible(module, scope) -> bool:
    from importlib import import_module

    return import_module(f"tmhub.{module}.nav").visible(scope)

# Administrative pages, listed in the user menu rather than the main bar.
ACCOUNT_MENU = [
    (_("Imports"), "core:import-list", lambda s: s.is_authenticated and _imports_something(s)),
    (_("People"), "accounts:user-list", lambda s: _allows(s, "manage_people", "accounts.User")),
]


def _allows(scope, verb, model_label) -> bool:
    from django.apps import apps

    from tmhub.core import policies

    return scope.is_authenticated and policies.allows(scope, verb, apps.get_model(model_label))


def _imports_something(scope) -> bool:
    """Some kind of record this scope may import (what the import page would offer it)."""
    from tmhub.core.tabular.importing import REGISTRY

    return any(spec.can_import(scope) for spec in REGISTRY.values())


def _entries(menu, scope):
    items = []
    for label, url_name, visible in menu:
        if not visible(scope):
            continue
        try:
            items.append({"label": label, "url": reverse(url_name), "name": url_name})
        except NoReverseMatch:
            continue  # the app is not wired yet
    return items


def _my_work_count(scope) -> int:
    """The badge on "My work": every signed-in page shows it and every module's sources run to
    count it (some 25 queries), so it is counted once per person and data generation (any
    audited write recounts it; it is never older than the list cache's timeout)."""
    if not scope.is_authenticated:
        return 0
    from tmhub.core import result_cache
    from tmhub.core.work_items import count_for

    return result_cache.remember(f"my-work-count:user:{scope.user_id}",
                                 lambda: count_for(scope))


def _session_complete(request) -> bool:
    from tmhub.accounts import two_factor

    user = request.user
    verified = getattr(user, "is_verified", None)
    return (verified is not None and verified()) or not two_factor.requires_two_factor(user)


def navigation(request):
    scope = get_scope(getattr(request, "user", None))
    items = _entries(NAVIGATION, scope)
    my_work_count = SimpleLazyObject(lambda: _my_work_count(scope))
    for item in items:
        # The page does not wait for every module's count: the badge loads after it. Not on a
        # session still owing its second factor: the badge's request would be sent to the
        # two-factor page, whose navigation would load the badge again, and so on.
        if item["name"] == "mywork:home" and _session_complete(request):
            item["badge_url"] = reverse("core:my-work-badge")
    unread = 0
    if scope.is_authenticated:
        unread = request.user.notifications.filter(read_at__isnull=True).count()
    from tmhub.core.roles import Role

    role_labels = [Role(role).label for role in sorted(scope.roles) if role in Role.values]
    return {"scope": scope, "nav_items": items, "account_menu": _entries(ACCOUNT_MENU, scope),
            "unread_notifications": unread,
            # Counted only when a template shows it (every source runs to count).
            "my_work_count": my_work_count,
            "role_labels": role_labels}
