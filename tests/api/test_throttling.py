"""The "anon" and "user" rates (THROTTLE_ANON / THROTTLE_USER) limit every API call."""

import copy

import pytest

from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


def test_defaults_come_from_settings():
    rates = django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["anon"] == "600/min"
    assert rates["user"] == "1200/min"


@pytest.fixture
def tight_rates(settings):
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"].update({"anon": "2/min", "user": "3/min"})
    settings.REST_FRAMEWORK = rest


@pytest.mark.parametrize(
    ("who", "allowed"), [(None, 2), ("user", 3)], ids=["anonymous", "signed-in"]
)
def test_api_and_auth_calls_follow_the_configured_rates(api, request, tight_rates, who, allowed):
    client = api(request.getfixturevalue(who) if who else None)
    path = "/api/auth/me/" if who else "/api/categories/"
    for _ in range(allowed):
        assert client.get(path).status_code == 200
    refused = client.get(path)
    assert refused.status_code == 429
    assert refused.json()["retry_after"] > 0


def test_each_caller_is_counted_by_one_rate_only(api, user, settings):
    """Anonymous calls count against the anon rate (per IP) and signed-in ones against the user
    rate: with the anon rate above the user rate, anonymous callers get the whole anon rate."""
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"].update({"anon": "4/min", "user": "2/min"})
    settings.REST_FRAMEWORK = rest
    anonymous, signed_in = api(None), api(user)
    assert [anonymous.get("/api/categories/").status_code for _ in range(5)] == [200] * 4 + [429]
    # The same IP, signed in: its own count, not the anonymous one.
    assert [signed_in.get("/api/categories/").status_code for _ in range(3)] == [200, 200, 429]


def test_a_scoped_limit_and_the_user_rate_count_each_call_once(api, user, project, settings):
    """A review POST passes the "reviews" limit and the user rate, checked together: each
    counts every call it lets through, and the tighter one refuses first, saying how long."""
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"].update({"reviews": "2/hour", "user": "3/min"})
    settings.REST_FRAMEWORK = rest
    client = api(user)
    path = f"/api/projects/{project.pk}/reviews/"
    body = {"rating": 4, "title": "Once", "body": "Counted by both limits."}
    first = client.post(path, body, format="json")
    second = client.post(path, body, format="json")  # a 400 (reviewed already), still counted
    assert (first.status_code, second.status_code) == (201, 400)
    refused = client.post(path, body, format="json")
    assert refused.status_code == 429
    assert refused.json()["retry_after"] > 60  # the hourly limit, not the per-minute one
    # The user rate counted all three calls (as DRF does, the refused one too): it is spent.
    assert client.get("/api/auth/me/").status_code == 429
