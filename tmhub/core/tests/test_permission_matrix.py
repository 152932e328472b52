"""Given every persona, when each requests every route with every method it accepts, then it
gets exactly its allowed status and a refused request changes nothing; a method a route does
not accept answers 405; and every route × method has a case."""

import pytest
from django.urls import resolve

from conftest import client_for
from tmhub.core.tests.permission_matrix import (
    PERSONA_NAMES,
    accepted_methods,
    app_case_modules,
    declares_methods,
    required_requests,
    send,
    state_of,
    what_changed,
)

UNACCEPTED_ORDER = ("delete", "put", "patch", "post", "get")
_request = send  # the name other apps' quick matrix runs import


def _all_cases(personas):
    return [case for module in app_case_modules() for case in module.cases(personas)]


@pytest.mark.django_db
def test_permission_matrix(personas):
    failures = []
    clients = {
        name: client_for(None if name == "anonymous" else getattr(personas, name))
        for name in PERSONA_NAMES
    }
    first_case_of = {}
    for case in _all_cases(personas):
        first_case_of.setdefault(case.url_name, case)
        url = case.url
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, url, case.data)
            expected = case.expected(name)
            label = f"{case.method.upper()} {url} as {name}"
            if response.status_code != expected:
                failures.append(f"{label}: got {response.status_code}, expected {expected}")
            elif unchanged and (after := state_of(case)) != before:
                failures.append(
                    f"{label}: answered {expected} but changed "
                    f"{case.watched!r}: {what_changed(before, after)}"
                )
    # A method a route does not accept: 405 for someone who may use the route, nothing changed.
    # One such method per route (a writing one first) shows the view refuses what it does not
    # declare; which methods it declares is what test_every_url_is_covered holds to account.
    city = clients["municipal_admin"]
    for name, case in first_case_of.items():
        view = resolve(case.url.split("?")[0]).func
        refused = [m for m in UNACCEPTED_ORDER if m not in accepted_methods(view)]
        if not declares_methods(view) or not refused:
            continue
        before = state_of(case)
        response = send(city, refused[0], case.url)
        if response.status_code != 405:
            failures.append(
                f"{refused[0].upper()} {case.url} (not a method of {name}): got "
                f"{response.status_code}, expected 405"
            )
        elif (after := state_of(case)) != before:
            failures.append(
                f"{refused[0].upper()} {case.url}: 405 but changed {what_changed(before, after)}"
            )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_every_url_is_covered(personas):
    covered = {(case.url_name, case.method) for case in _all_cases(personas)}
    missing = sorted(required_requests() - covered)
    assert not missing, (
        "Routes and methods without permission-matrix cases (add them to the app's "
        f"tests/permission_cases.py): {missing}"
    )
