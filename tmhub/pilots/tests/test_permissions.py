"""The permission matrix over the pilots' cases only (the platform-wide one runs every app):
given every persona, when each requests every pilots route, then it gets its allowed status and
a refused request changes nothing."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, send, state_of, what_changed
from tmhub.pilots.tests.permission_cases import cases

pytestmark = pytest.mark.django_db


def test_pilots_permission_matrix(personas):
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    failures = []
    for case in cases(personas):
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            expected = case.expected(name)
            label = f"{case.method.upper()} {case.url} as {name}"
            if response.status_code != expected:
                failures.append(f"{label}: got {response.status_code}, expected {expected}")
            elif unchanged and (after := state_of(case)) != before:
                failures.append(f"{label}: changed {what_changed(before, after)}")
    assert not failures, "\n".join(failures)
