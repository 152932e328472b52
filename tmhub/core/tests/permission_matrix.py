"""The permission matrix: every URL × every persona → the status that persona must get.

Each app lists its cases in `tmhub/<app>/tests/permission_cases.py`:

    def cases(personas) -> list[Case]

`test_permission_matrix` requests every case as every persona, and `test_every_url_is_covered`
fails when a named URL of the project has no case, so a new page cannot skip the matrix.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

PERSONA_NAMES = [
    "anonymous", "municipal_admin", "department_officer", "health_officer", "district_officer",
    "institution_admin", "manager", "enterprise", "service_provider", "reviewer", "outsider",
]
SIGNED_IN = frozenset(PERSONA_NAMES) - {"anonymous"}
EVERYONE = frozenset(PERSONA_NAMES)

# URL names that are not pages of ours (framework pages and token-bearing links).
NOT_IN_MATRIX = {
    "set_language", "api-schema", "api-docs", "accounts:password_reset_confirm",
    "accounts:password_reset_done", "accounts:password_reset_complete",
    "accounts:password_change_done", "accounts:logout",
}


@dataclass
class Case:
    """One request. `ok` personas get `ok_status`; anonymous gets `anon_status` unless in ok;
    everyone else gets `denied_status` (404: forbidden looks like missing)."""

    url_name: str
    args: tuple = ()
    ok: frozenset = field(default_factory=frozenset)
    ok_status: int = 200
    anon_status: int | None = None  # None: same as denied_status
    denied_status: int = 404
    method: str = "get"
    data: dict | None = None
    query: str = ""

    def expected(self, persona: str) -> int:
        if persona in self.ok:
            return self.ok_status
        if persona == "anonymous" and self.anon_status is not None:
            return self.anon_status
        return self.denied_status


def login_required_page(url_name, args=(), ok=SIGNED_IN, **kwargs) -> Case:
    """A page behind sign-in: anonymous is redirected to the login page."""
    return Case(url_name, args, frozenset(ok), anon_status=302, **kwargs)


def app_case_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("tmhub."):
            continue
        name = f"{config.name}.tests.permission_cases"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                ns = pattern.namespace
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names
