"""The shared factories build what the rest of the suite relies on."""

import pytest

from accounts.factories import DEFAULT_PASSWORD


@pytest.mark.django_db
def test_project_factory_publishes_under_the_index(project, author, client):
    assert project.live and project.owner == author
    assert project.get_parent().specific.__class__.__name__ == "ProjectIndexPage"
    assert client.get(project.url).status_code == 200
    assert client.login(email=author.email, password=DEFAULT_PASSWORD)
    assert author.role == "author"
