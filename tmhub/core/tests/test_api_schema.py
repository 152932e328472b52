"""Schemathesis against our own OpenAPI schema: no generated request makes the API fail (5xx),
for an anonymous caller and for the municipal administrator."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tmhub.accounts.tokens import issue_token

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, personas):
    _token, key = issue_token(user=personas.municipal_admin)
    case.call_and_validate(checks=[not_a_server_error])
    case.call_and_validate(headers={"Authorization": f"Token {key}"},
                           checks=[not_a_server_error])
