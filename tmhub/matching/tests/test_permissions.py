"""The matching app's own slice of the permission matrix (the full matrix lives in core)."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.matching.tests import permission_cases


@pytest.mark.django_db
def test_matching_permission_cases(personas):
    failures = []
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    for case in permission_cases.cases(personas):
        url = reverse(case.url_name, args=case.args) + (f"?{case.query}" if case.query else "")
        for name in PERSONA_NAMES:
            status = clients[name].get(url).status_code
            if status != case.expected(name):
                failures.append(f"{url} as {name}: got {status}, expected {case.expected(name)}")
    assert not failures, "\n".join(failures)
