"""The permission matrix of the evaluation app alone (the core's test runs every app's cases):
every evaluation route × method × persona gets exactly its status, and a refused request
changes nothing."""

import pytest

from conftest import client_for
from tmhub.core.tests.permission_matrix import matrix_failures
from tmhub.evaluation.tests.permission_cases import cases


@pytest.mark.django_db
def test_every_evaluation_case_as_every_persona(personas):
    failures = matrix_failures(personas, cases(personas), client_for)
    assert not failures, "\n".join(failures)
