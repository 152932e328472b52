"""Given every persona, when each requests every transfer URL, then it gets its allowed status
(the project-wide matrix runs these too; this runs only ours, quickly)."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.transfer.tests.permission_cases import cases


def _request(client, case, url):
    """The case's request (the project-wide matrix also checks that a refusal changes
    nothing; this quick run checks the statuses)."""
    if case.method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, case.method)(url, data=case.data or {},
                                            content_type="application/json")
    return getattr(client, case.method)(url, data=case.data or {})


@pytest.mark.django_db
def test_transfer_permission_matrix(personas):
    clients = {
        name: client_for(None if name == "anonymous" else getattr(personas, name))
        for name in PERSONA_NAMES
    }
    failures = []
    for case in cases(personas):
        args = [getattr(arg, "pk", arg) for arg in case.args]  # records or their ids
        url = reverse(case.url_name, args=args) + (f"?{case.query}" if case.query else "")
        for name in PERSONA_NAMES:
            status = _request(clients[name], case, url).status_code
            if status != case.expected(name):
                failures.append(
                    f"{case.method.upper()} {url} as {name}: got {status}, "
                    f"expected {case.expected(name)}"
                )
    assert not failures, "\n".join(failures)
