"""The custom user model in Wagtail's user admin: edit a user, revoke the author role."""

import pytest

from django.contrib.auth.models import Group

from accounts.factories import AdminFactory, AuthorFactory, ModeratorFactory
from accounts.models import AUTHORS_GROUP

pytestmark = pytest.mark.django_db


def _edit_payload(user, **overrides):
    data = {
        "email": user.email,
        "username": user.username,
        "display_name": user.display_name,
        "first_name": "",
        "last_name": "",
        "password1": "",
        "password2": "",
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(overrides)
    return data


def test_admin_edits_a_user_and_revokes_author(client, admin, site_pages):
    target = AuthorFactory(display_name="Old Name")
    client.force_login(admin)
    url = f"/admin/users/edit/{target.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="display_name"' in page.content.decode()
    assert 'name="username"' in page.content.decode()
    response = client.post(url, _edit_payload(target, display_name="New Name", groups=[]))
    assert response.status_code == 302, response.context["form"].errors
    target.refresh_from_db()
    assert target.display_name == "New Name"
    assert not target.groups.filter(name=AUTHORS_GROUP).exists()
    assert target.role == "user"


def test_admin_creates_a_user_with_handle_and_display_name(client, admin, site_pages):
    client.force_login(admin)
    authors = Group.objects.get(name=AUTHORS_GROUP)
    response = client.post(
        "/admin/users/new/",
        {
            "email": "New.Person@Example.test",
            "username": "newperson",
            "display_name": "New Person",
            "first_name": "",
            "last_name": "",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "groups": [authors.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    from django.contrib.auth import get_user_model

    created = get_user_model().objects.get(username="newperson")
    assert created.email == "new.person@example.test"
    assert created.is_author


def test_moderator_cannot_grant_superuser_or_edit_a_superuser(client, site_pages):
    moderator = ModeratorFactory()
    target = AuthorFactory()
    client.force_login(moderator)
    url = f"/admin/users/edit/{target.pk}/"
    assert 'name="is_superuser"' not in client.get(url).content.decode()
    client.post(url, _edit_payload(target, is_superuser="on"))
    target.refresh_from_db()
    assert not target.is_superuser
    superuser = AdminFactory()
    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard.
    assert client.get(f"/admin/users/edit/{superuser.pk}/").url == "/admin/"
    edit = client.post(
        f"/admin/users/edit/{superuser.pk}/",
        _edit_payload(superuser, email="taken-over@example.test"),
    )
    assert edit.status_code == 302 and edit.url == "/admin/"
    assert client.post(f"/admin/users/delete/{superuser.pk}/").url == "/admin/"
    superuser.refresh_from_db()
    assert superuser.email != "taken-over@example.test"
    assert type(superuser).objects.filter(pk=superuser.pk, is_active=True).exists()
