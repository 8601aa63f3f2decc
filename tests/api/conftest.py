"""API test helpers: JWT-authenticated clients for each role."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken


def access_token_for(user) -> str:
    """An access token as the auth endpoints issue it (with the `role` claim)."""
    refresh = RefreshToken.for_user(user)
    refresh["role"] = user.role
    access = refresh.access_token
    access["role"] = user.role
    return str(access)


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {access_token_for(user)}")
    return client


@pytest.fixture
def api():
    """`api(user)` -> an APIClient authenticated as `user` (anonymous with None)."""
    return client_for


@pytest.fixture
def anon_client():
    return APIClient()
