"""The account settings page and self-service author role."""

import pytest

pytestmark = pytest.mark.django_db


def test_settings_requires_login(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_settings_shows_and_saves_preferences(client, user):
    client.force_login(user)
    page = client.get("/accounts/settings/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="display_name"' in body
    assert 'name="notify_new_reviews"' in body
    assert "Become an author" in body
    response = client.post("/accounts/settings/", {"display_name": "Grace <Hopper>"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Grace <Hopper>"
    assert user.notify_new_reviews is False  # an unticked checkbox is an opt-out
    header = client.get("/accounts/settings/").content.decode()
    assert "Grace &lt;Hopper&gt;" in header
    assert "Grace <Hopper>" not in header


def test_settings_rejects_a_too_long_display_name(client, user):
    client.force_login(user)
    response = client.post("/accounts/settings/", {"display_name": "x" * 81})
    assert response.status_code == 200
    assert response.context["form"].errors["display_name"]


def test_become_author_is_immediate(client, user, site_pages):
    client.force_login(user)
    assert client.get("/admin/").url.startswith("/admin/login/")  # then a 403 page
    response = client.post("/accounts/settings/become-author/")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.role == "author"
    assert client.get("/admin/").status_code == 200
    assert "Become an author" not in client.get("/accounts/settings/").content.decode()


def test_become_author_needs_post_and_login(client, user):
    assert client.post("/accounts/settings/become-author/").status_code == 302
    client.force_login(user)
    assert client.get("/accounts/settings/become-author/").status_code == 405
    user.refresh_from_db()
    assert user.role == "user"


def test_become_author_ignores_offsite_next(client, user):
    client.force_login(user)
    response = client.post("/accounts/settings/become-author/", {"next": "https://evil.example/"})
    assert response.url == "/accounts/settings/"
