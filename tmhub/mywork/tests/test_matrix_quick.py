"""My work's permission cases alone (the full matrix in core runs every app's)."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, send, state_of, what_changed
from tmhub.mywork.tests import permission_cases


@pytest.mark.django_db
def test_my_work_permission_cases(personas):
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    failures = []
    for case in permission_cases.cases(personas):
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            if response.status_code != case.expected(name):
                failures.append(f"{case.method} {case.url} as {name}: "
                                f"{response.status_code}, expected {case.expected(name)}")
            elif unchanged and (after := state_of(case)) != before:
                failures.append(f"{case.url} as {name} changed {what_changed(before, after)}")
    assert not failures, "\n".join(failures)
