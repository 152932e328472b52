"""The matching app's own slice of the permission matrix (the full matrix lives in core)."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.matching.tests import permission_cases


def _url(case) -> str:
    args = [getattr(arg, "pk", arg) for arg in case.args]  # records or their ids
    return reverse(case.url_name, args=args) + (f"?{case.query}" if case.query else "")


@pytest.mark.django_db
def test_matching_permission_cases(personas):
    failures = []
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    for case in permission_cases.cases(personas):
        url = _url(case)
        for name in PERSONA_NAMES:
            method = getattr(clients[name], getattr(case, "method", "get"))
            status = method(url).status_code
            if status != case.expected(name):
                failures.append(f"{url} as {name}: got {status}, expected {case.expected(name)}")
    assert not failures, "\n".join(failures)
