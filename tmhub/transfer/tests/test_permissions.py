"""Given every persona, when each requests every transfer URL, then it gets its allowed status
(the project-wide matrix runs these too; this runs only ours, quickly)."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.core.tests.test_permission_matrix import _request
from tmhub.transfer.tests.permission_cases import cases


@pytest.mark.django_db
def test_transfer_permission_matrix(personas):
    clients = {
        name: client_for(None if name == "anonymous" else getattr(personas, name))
        for name in PERSONA_NAMES
    }
    failures = []
    for case in cases(personas):
        url = reverse(case.url_name, args=case.args) + (f"?{case.query}" if case.query else "")
        for name in PERSONA_NAMES:
            status = _request(clients[name], case, url).status_code
            if status != case.expected(name):
                failures.append(
                    f"{case.method.upper()} {url} as {name}: got {status}, "
                    f"expected {case.expected(name)}"
                )
    assert not failures, "\n".join(failures)
