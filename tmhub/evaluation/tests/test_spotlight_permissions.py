"""The permission matrix of the spotlight and nomination routes alone (they are also in the
evaluation app's cases): every route × method × persona gets exactly its status, and a refused
request changes nothing."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, send, state_of, what_changed
from tmhub.evaluation.tests.permission_cases_spotlight import cases


@pytest.mark.django_db
def test_every_spotlight_case_as_every_persona(personas):
    failures = []
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
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
                failures.append(f"{label}: answered {expected} but changed "
                                f"{what_changed(before, after)}")
    assert not failures, "\n".join(failures)
