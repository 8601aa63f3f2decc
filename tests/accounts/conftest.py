import pytest
from rest_framework.test import APIClient

from accounts.factories import DEFAULT_PASSWORD


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def obtain(api):
    """Log in through the API; returns the token pair for `user`."""

    def _obtain(user, password=DEFAULT_PASSWORD):
        response = api.post(
            "/api/auth/token/", {"email": user.email, "password": password}, format="json"
        )
        assert response.status_code == 200, response.content
        return response.json()

    return _obtain


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
