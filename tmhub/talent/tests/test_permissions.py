"""The talent part of the permission matrix, runnable on its own (the project-wide test
also covers it); and every talent route and method has a case."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, required_requests, send, state_of
from tmhub.talent.tests import permission_cases

pytestmark = pytest.mark.django_db


def _ours(url_name: str) -> bool:
    return url_name.startswith("talent:") or url_name.split("-")[0] in ("manager",
                                                                          "registration")


def test_talent_permission_matrix(personas):
    failures = []
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    covered = set()
    for case in permission_cases.cases(personas):
        covered.add((case.url_name, case.method))
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            label = f"{case.method.upper()} {case.url} as {name}"
            if response.status_code != case.expected(name):
                failures.append(f"{label}: got {response.status_code}, expected "
                                f"{case.expected(name)}")
            elif unchanged and state_of(case) != before:
                failures.append(f"{label}: refused but changed {case.watched!r}")
    missing = sorted(r for r in required_requests() - covered if _ours(r[0]))
    assert not missing, missing
    assert not failures, "\n".join(failures)
