"""The permission matrix for the network's routes only (the whole matrix runs in core)."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, send, state_of, what_changed
from tmhub.network.tests.permission_cases import cases


@pytest.mark.django_db
def test_network_permission_matrix(personas):
    """Given every persona, when each requests every network route, then it gets its status
    and a refused request changes nothing."""
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    failures = []
    for case in cases(personas):
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            if response.status_code != case.expected(name):
                failures.append(f"{case.method} {case.url} as {name}: "
                                f"{response.status_code} != {case.expected(name)}")
            elif unchanged and (after := state_of(case)) != before:
                failures.append(f"{case.url} as {name} changed {what_changed(before, after)}")
    assert not failures, "\n".join(failures)
