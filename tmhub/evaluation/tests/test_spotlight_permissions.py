"""The permission matrix of the spotlight and nomination routes alone (they are also in the
evaluation app's cases): every route × method × persona gets exactly its status, and a refused
request changes nothing."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import matrix_failures
from tmhub.evaluation.tests.permission_cases_spotlight import cases


@pytest.mark.django_db
def test_every_spotlight_case_as_every_persona(personas):
    failures = matrix_failures(personas, cases(personas), client_for)
    assert not failures, "\n".join(failures)
