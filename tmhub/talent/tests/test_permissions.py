"""The talent part of the permission matrix, runnable on its own (the project-wide test
also covers it); and every talent URL has a case."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, all_url_names
from tmhub.core.tests.test_permission_matrix import _request
from tmhub.talent.tests import permission_cases

pytestmark = pytest.mark.django_db


def test_talent_permission_matrix(personas):
    failures = []
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    covered = set()
    for case in permission_cases.cases(personas):
        covered.add(case.url_name)
        url = reverse(case.url_name, args=case.args) + (f"?{case.query}" if case.query else "")
        for name in PERSONA_NAMES:
            response = _request(clients[name], case, url)
            if response.status_code != case.expected(name):
                failures.append(f"{case.method.upper()} {url} as {name}: got "
                                f"{response.status_code}, expected {case.expected(name)}")
    ours = {n for n in all_url_names() if n.startswith("talent:")}
    ours |= {n for n in all_url_names() if n.split("-")[0] in ("manager", "registration")}
    assert not sorted(ours - covered)
    assert not failures, "\n".join(failures)
