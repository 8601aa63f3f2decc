"""Property-based fuzzing of the served OpenAPI schema (schemathesis), bounded to stay quick.

Every operation, anonymous and as an admin (who reaches every code path): no 5xx, and every
status code, content type and body conforms to the schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import positive_data_acceptance

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from tests.api.conftest import access_token_for

# Loaded at collection from the app itself: schemathesis' lazy `from_fixture` loader relies on
# a pytest internal (`Function._nodeid`) that pytest 9 removed.
api_schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# A schema-valid body can still be refused for the database's state (a slug already taken, a
# category or image id that does not exist): schemathesis cannot know, so that check is off.
STATEFUL_CHECKS = [positive_data_acceptance]

FUZZ_SETTINGS = settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_test_transaction(db, site_pages):
    """As Django's test client does: requests must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(db):
    from accounts.factories import AdminFactory

    return {"Authorization": f"Bearer {access_token_for(AdminFactory())}"}


@api_schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_calls_conform(case):
    case.call_and_validate(excluded_checks=STATEFUL_CHECKS)


@api_schema.parametrize()
@FUZZ_SETTINGS
def test_admin_calls_conform(case, admin_headers):
    case.call_and_validate(headers=admin_headers, excluded_checks=STATEFUL_CHECKS)
