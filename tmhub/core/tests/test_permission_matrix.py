"""Given every persona, when each requests every URL, then it gets exactly its allowed status;
and every named URL of the project has at least one case."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.permission_matrix import (
    NOT_IN_MATRIX,
    PERSONA_NAMES,
    all_url_names,
    app_case_modules,
)


def _request(client, case, url):
    if case.method == "get":
        return client.get(url)
    if url.startswith("/api/"):
        return getattr(client, case.method)(url, data=case.data or {},
                                            content_type="application/json")
    return getattr(client, case.method)(url, data=case.data or {})


@pytest.mark.django_db
def test_permission_matrix(personas):
    failures, covered = [], set(NOT_IN_MATRIX)
    clients = {
        name: client_for(None if name == "anonymous" else getattr(personas, name))
        for name in PERSONA_NAMES
    }
    for module in app_case_modules():
        for case in module.cases(personas):
            covered.add(case.url_name)
            url = reverse(case.url_name, args=case.args)
            url += f"?{case.query}" if case.query else ""
            for name in PERSONA_NAMES:
                response = _request(clients[name], case, url)
                expected = case.expected(name)
                if response.status_code != expected:
                    failures.append(f"{case.method.upper()} {url} as {name}: "
                                    f"got {response.status_code}, expected {expected}")
    missing = sorted(all_url_names() - covered)
    if missing:
        failures.append(f"URLs without permission-matrix cases: {missing}")
    assert not failures, "\n".join(failures)
