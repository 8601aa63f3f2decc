"""Email preferences of follows: shown on the account settings page, saved by follows' own
view, validated by the model's choices."""

import pytest

from follows.models import FollowPreferences

pytestmark = pytest.mark.django_db


def test_settings_page_shows_the_choices_with_defaults(client, user, site_pages):
    client.force_login(user)
    body = client.get("/accounts/settings/").content.decode()
    assert "Emails about what you follow" in body
    assert "<legend>New projects from what I follow</legend>" in body
    assert 'action="/notifications/preferences/"' in body
    assert (
        'name="new_project_email" value="weekly" id="id_new_project_email_1" required checked'
        in body
    )


def test_preferences_are_saved_and_back_to_the_settings_page(client, user, site_pages):
    client.force_login(user)
    response = client.post(
        "/notifications/preferences/",
        {"new_project_email": "instant", "new_review_email": "off", "next": "/accounts/settings/"},
    )
    assert (response.status_code, response["Location"]) == (302, "/accounts/settings/")
    saved = FollowPreferences.objects.get(user=user)
    assert (saved.new_project_email, saved.new_review_email) == ("instant", "off")
    body = client.get("/accounts/settings/").content.decode()
    assert "Your email preferences have been saved." in body
    assert 'value="instant" id="id_new_project_email_0" required checked' in body


def test_an_unknown_choice_is_a_form_error(client, user, site_pages):
    client.force_login(user)
    response = client.post(
        "/notifications/preferences/", {"new_project_email": "hourly", "new_review_email": "off"}
    )
    assert response.status_code == 200
    assert "Select a valid choice. hourly is not one of the available choices." in (
        response.content.decode()
    )
    assert not FollowPreferences.objects.exists()


def test_visitors_cannot_save_preferences(client, site_pages):
    response = client.post("/notifications/preferences/", {"new_project_email": "instant"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not FollowPreferences.objects.exists()
