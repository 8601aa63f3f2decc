"""Cache-Control fits each response: public pages cacheable, anything personal private."""

import pytest

from accounts.factories import UserFactory


@pytest.mark.django_db
def test_public_page_is_cacheable_for_visitors(client, site_pages):
    response = client.get("/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_signed_in_pages_are_private(client, site_pages):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_account_pages_and_health_probes_are_not_shared(client, site_pages):
    login = client.get("/accounts/login/")
    assert "private" in login["Cache-Control"]
    assert "no-cache" in client.get("/readyz")["Cache-Control"]


@pytest.mark.django_db
def test_admin_keeps_its_own_never_cache(client, site_pages):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
