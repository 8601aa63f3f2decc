"""Property-based contract check of the account API against its own OpenAPI schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from proctique.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    path_regex=r"^/api/auth/"
)


@pytest.fixture(autouse=True)
def _no_throttles(monkeypatch):
    # Fuzzing sends far more requests than the limits allow; throttling has its own tests.
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_account_api_conforms(case):
    # Plain bodies: the WSGI transport may send `Accept-Encoding: gzip` but does not decode the
    # compressed answer as an HTTP client does.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        checks=[
            schemathesis.checks.not_a_server_error,
            schemathesis.checks.status_code_conformance,
            schemathesis.checks.response_schema_conformance,
            schemathesis.checks.content_type_conformance,
        ],
    )
