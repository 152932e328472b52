"""The permission matrix: every route × every HTTP method it accepts × every persona → the
status that persona must get, and proof that a refused request changed nothing.

Each app lists its cases in `tmhub/<app>/tests/permission_cases.py`:

    def cases(personas) -> list[Case]

with real records made through the services (a case's `args` may hold the records
themselves: their pk goes into the URL, and the first one is the row a refused request must
leave as it was). `test_permission_matrix` requests every case as every persona;
`test_every_url_is_covered` fails when a named route accepts a method that no case requests,
so neither a new page nor a new verb on an old one can skip the matrix.

Which methods a route accepts is read from its view (`accepted_methods`): a DRF route's
action map (less what its viewset's `http_method_names` leave out), a class-based view's
handlers, a function view's `require_http_methods` list; a function view that declares nothing
answers any method, so for it the matrix asks for GET, and POST when the view reads a form.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tmhub.core.audit import snapshot
from tmhub.core.models import ObjectChange, WorkflowEvent

PERSONA_NAMES = [
    "anonymous",
    "municipal_admin",
    "department_officer",
    "health_officer",
    "district_officer",
    "institution_admin",
    "manager",
    "enterprise",
    "service_provider",
    "reviewer",
    "outsider",
]
SIGNED_IN = frozenset(PERSONA_NAMES) - {"anonymous"}
EVERYONE = frozenset(PERSONA_NAMES)
METHODS = ("get", "post", "put", "patch", "delete")

# URL names that are not pages of ours (framework pages and token-bearing links); logging out
# would sign the matrix's own clients out.
NOT_IN_MATRIX = {
    "set_language",
    "api-schema",
    "api-docs",
    "accounts:password_reset_confirm",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accounts:password_change_done",
    "accounts:logout",
}


@dataclass
class Case:
    """One request. `ok` personas get `ok_status`; anonymous gets `anon_status` unless in ok;
    everyone else gets `denied_status` (404: forbidden looks like missing).

    `target` is what a refused request must leave unchanged: a record (its audit snapshot) or
    a model (its row count); by default the first record among `args`. `changes=False`: the
    request changes nothing even for the personas let through (an empty form, an illegal step).
    """

    url_name: str
    args: tuple = ()
    ok: frozenset = field(default_factory=frozenset)
    ok_status: int = 200
    anon_status: int | None = None  # None: same as denied_status
    denied_status: int = 404
    method: str = "get"
    data: dict | None = None
    query: str = ""
    target: object = None
    changes: bool = True
    special: dict = field(default_factory=dict)  # persona → status, where one differs

    def __post_init__(self):
        self.ok = frozenset(self.ok)
        assert self.method in METHODS, self.method
        # Records given as arguments: their pks go into the URL (`args` then holds what
        # `reverse` takes), the first one is the default `target`.
        records = [a for a in self.args if isinstance(a, models.Model)]
        if self.target is None and records:
            self.target = records[0]
        self.args = tuple(a.pk if isinstance(a, models.Model) else a for a in self.args)

    def expected(self, persona: str) -> int:
        if persona in self.special:
            return self.special[persona]
        if persona in self.ok:
            return self.ok_status
        if persona == "anonymous" and self.anon_status is not None:
            return self.anon_status
        return self.denied_status

    def must_not_change(self, persona: str) -> bool:
        """True when the request must change nothing: the persona is refused, or let through
        to a step that is refused (a 4xx answer, `changes=False`)."""
        return (
            self.expected(persona) != self.ok_status or self.ok_status >= 400 or (not self.changes)
        )

    @property
    def url(self) -> str:
        url = reverse(self.url_name, args=self.args)
        return f"{url}?{self.query}" if self.query else url

    @property
    def watched(self):
        return self.target


def login_required_page(url_name, args=(), ok=SIGNED_IN, **kwargs) -> Case:
    """A page behind sign-in: anonymous is redirected to the login page."""
    return Case(url_name, args, frozenset(ok), anon_status=302, **kwargs)


def api(url_name, args=(), ok=EVERYONE, **kwargs) -> Case:
    """An API endpoint: anonymous callers of a write get 401 unless they are let through."""
    if kwargs.get("method", "get") != "get":
        kwargs.setdefault("anon_status", 401)
    return Case(url_name, args, frozenset(ok), **kwargs)


def send(client, method: str, url: str, data=None):
    """One request as the matrix sends it: JSON to the API, a form body to pages."""
    if method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, method)(url, data=data or {}, content_type="application/json")
    if method == "post":
        return client.post(url, data=data or {})
    # PUT, PATCH, DELETE on a page: a form-encoded body, as a script would send it
    return getattr(client, method)(url, data="", content_type="application/x-www-form-urlencoded")


# ---- what a refused request must not change


def state_of(case: Case) -> dict:
    """The watched record's snapshot (or the model's row count) and the audit log's size."""
    watched = case.watched
    if isinstance(watched, models.Model):
        row = type(watched)._base_manager.filter(pk=watched.pk).first()
        watched_state = snapshot(row) if row is not None else None
    elif isinstance(watched, type) and issubclass(watched, models.Model):
        watched_state = watched._base_manager.count()
    else:
        watched_state = None
    return {
        "watched": watched_state,
        "ObjectChange rows": ObjectChange.objects.count(),
        "WorkflowEvent rows": WorkflowEvent.objects.count(),
    }


def what_changed(before: dict, after: dict) -> str:
    """In words: which fields of the watched record, or which counts, differ."""
    parts = []
    old, new = before["watched"], after["watched"]
    if isinstance(old, dict) and isinstance(new, dict):
        fields = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if fields:
            parts.append(f"fields {fields}")
    elif old != new:
        parts.append(f"watched {old!r} → {new!r}")
    parts += [
        f"{key} {before[key]} → {after[key]}"
        for key in before
        if key != "watched" and before[key] != after[key]
    ]
    return "; ".join(parts)


# ---- the routes and the methods they accept


def matrix_failures(personas, cases, client_for) -> list[str]:
    """Every case × every persona: the status each gets that differs from the expected one,
    and each refused request that changed a record, in words (empty when all is right)."""
    failures = []
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    for case in cases:
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            expected = case.expected(name)
            label = f"{case.method.upper()} {case.url} as {name}"
            if response.status_code != expected:
                failures.append(f"{label}: got {response.status_code}, expected {expected}")
            elif unchanged and (after := state_of(case)) != before:
                failures.append(f"{label}: answered {expected} but changed "
                                f"{what_changed(before, after)}")
    return failures


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


def routes() -> dict[str, object]:
    """Every named route of the project (but the admin): URL name → view callback."""
    found: dict[str, object] = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                ns = pattern.namespace
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.setdefault(f"{namespace}{pattern.name}", pattern.callback)

    walk(get_resolver().url_patterns, "")
    return found


def all_url_names() -> set[str]:
    return set(routes())


def _declared_methods(view) -> frozenset[str] | None:
    """The list given to `require_http_methods` (require_POST, …) anywhere in the decorators."""
    func = view
    while func is not None:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = func.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.lower() for m in cell.cell_contents) & frozenset(METHODS)
        func = getattr(func, "__wrapped__", None)
    return None


def _reads_form(view) -> bool:
    source = inspect.getsource(inspect.unwrap(view))
    return any(
        marker in source for marker in ('request.method == "POST"', "request.POST", "request.FILES")
    )


def declares_methods(view) -> bool:
    """True when the view itself refuses the methods it does not accept (405)."""
    return (
        getattr(view, "actions", None) is not None
        or getattr(view, "view_class", None) is not None
        or _declared_methods(view) is not None
    )


def accepted_methods(view) -> frozenset[str]:
    """The HTTP methods (of METHODS) the route's view handles."""
    actions = getattr(view, "actions", None)  # a DRF router route: {"get": "list", …}
    if actions is not None:  # … less what the viewset's http_method_names leave out
        allowed = getattr(view.cls, "http_method_names", METHODS)
        return frozenset(actions) & frozenset(allowed) & frozenset(METHODS)
    view_class = getattr(view, "view_class", None)  # class-based views, DRF APIViews
    if view_class is not None:
        return frozenset(
            m for m in METHODS if m in view_class.http_method_names and hasattr(view_class, m)
        )
    declared = _declared_methods(view)
    if declared is not None:
        return declared
    return frozenset({"get", "post"} if _reads_form(view) else {"get"})


def required_requests() -> set[tuple[str, str]]:
    """(URL name, method) pairs the matrix must request."""
    return {
        (name, method)
        for name, view in routes().items()
        if name not in NOT_IN_MATRIX
        for method in accepted_methods(view)
    }
