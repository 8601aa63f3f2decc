"""Property-based fuzzing of the served OpenAPI schema (schemathesis) within a fixed time budget.

Every operation, anonymous and as an admin (who reaches every code path), with enough examples
per operation to reach the odd values (Unicode digits, NUL bytes, huge integers, deep bodies):
no 5xx, and every status code, content type and body conforms to the schema. The stateful phase
chains calls through the links schemathesis infers (create a project, then read, edit and review
it by the id the answer gave). tests/api/test_hostile_input.py pins the known hostile values.
"""

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction

from tests.api.conftest import access_token_for

pytestmark = pytest.mark.fuzz

# Loaded at collection from the app itself: schemathesis' lazy `from_fixture` loader relies on
# a pytest internal (`Function._nodeid`) that pytest 9 removed.
api_schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# A schema-valid body can still be refused for the database's state (a slug already taken, a
# category or image id that does not exist): schemathesis cannot know, so that check is off.
# Unknown query parameters and unknown multipart parts are ignored by design (as Django and
# DRF do): OpenAPI cannot forbid them, so schemathesis counts "?x=1" as a schema violation that
# should have been refused. Malformed values of known parameters are pinned by the hostile table.
STATEFUL_CHECKS = [positive_data_acceptance, negative_data_rejection]

# The budget for the whole file on a shared two-core machine: examples per operation and steps
# per scenario are sized to fit; past the budget a test stops calling (and still has checked
# every example it ran), so a slow machine makes the run shallower, never endless.
BUDGET_SECONDS = 120
EXAMPLES_PER_OPERATION = 25
STATEFUL_SCENARIOS = 25
STEPS_PER_SCENARIO = 6

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
STATEFUL_SETTINGS = settings(
    max_examples=STATEFUL_SCENARIOS,
    stateful_step_count=STEPS_PER_SCENARIO,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class Budget:
    """Wall-clock time left for the file, started by its first test."""

    started: float | None = None

    @classmethod
    def spent(cls) -> bool:
        now = time.monotonic()
        if cls.started is None:
            cls.started = now
        return now - cls.started > BUDGET_SECONDS


@pytest.fixture(autouse=True)
def _keep_test_transaction(db, site_pages):
    """As Django's test client does: requests must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    """Fuzzing sends far more calls than the limits allow; throttling has its own tests."""
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


# Plain bodies: the WSGI transport may send requests' default `Accept-Encoding: gzip` but does
# not decode the compressed answer as an HTTP client does.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture
def admin_headers(db):
    from accounts.factories import AdminFactory

    return {"Authorization": f"Bearer {access_token_for(AdminFactory())}", **PLAIN}


class AdminWorkflow(api_schema.as_state_machine()):
    """Scenarios of linked calls as an admin: the ids one answer gives feed the next call."""

    headers: dict[str, str] = {}

    # Each scenario starts from the same database and cache: what one scenario created must
    # not change what the next draws (Hypothesis replays scenarios and checks they draw alike).
    def setup(self):
        self.savepoint = transaction.savepoint()
        cache.clear()

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def get_call_kwargs(self, case):
        return {"headers": self.headers}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        # Every step carries the admin's header, so the "invalid auth" replay would send a
        # valid token too; authentication is checked by the anonymous run below.
        case.validate_response(
            response,
            excluded_checks=[*STATEFUL_CHECKS, ignored_auth],
            transport_kwargs=kwargs or None,
            recorder=getattr(self, "recorder", None),
        )


def test_stateful_phase_has_links_to_follow():
    # Without links the state machine would only repeat single calls: creates must feed reads.
    machine = AdminWorkflow
    assert api_schema.statistic.transitions.total > 50
    assert "POST /api/projects/ -> 201" in machine.bundles
    assert "POST /api/categories/ -> 201" in machine.bundles


def test_linked_admin_calls_conform(admin_headers):
    # First in the file, with its own bounded size (scenarios x steps), before the budget runs.
    Budget.spent()
    AdminWorkflow.headers = admin_headers
    AdminWorkflow.run(settings=STATEFUL_SETTINGS)


@api_schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous_calls_conform(case):
    if Budget.spent():
        return
    case.call_and_validate(headers=PLAIN, excluded_checks=STATEFUL_CHECKS)


@api_schema.parametrize()
@FUZZ_SETTINGS
def test_admin_calls_conform(case, admin_headers):
    if Budget.spent():
        return
    case.call_and_validate(headers=admin_headers, excluded_checks=STATEFUL_CHECKS)
