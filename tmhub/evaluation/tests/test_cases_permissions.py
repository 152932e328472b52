"""The permission matrix of the case library alone (issue 17 item 5): every case-library route
× method × persona gets exactly its status (anonymous, manager, the owner institution's
administrator, other institutions' people, the city, a reviewer…), and a refused request changes
nothing."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import matrix_failures
from tmhub.evaluation.tests.permission_cases_cases import cases


@pytest.mark.django_db
def test_every_case_library_case_as_every_persona(personas):
    failures = matrix_failures(personas, cases(personas), client_for)
    assert not failures, "\n".join(failures)
