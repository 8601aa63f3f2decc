"""The public author profile at /authors/<username>/."""

import pytest

from accounts.factories import UserFactory
from showcase.factories import ProjectPageFactory
from showcase.views import PROFILE_PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_profile_shows_name_initials_and_live_projects_only(client, author, project_index):
    author.display_name = "Ada Lovelace"
    author.save()
    ProjectPageFactory(owner=author, title="Analytical Engine")
    ProjectPageFactory(owner=author, title="Secret Draft", live=False)
    ProjectPageFactory(owner=UserFactory(), title="Somebody Else's")
    response = client.get(f"/authors/{author.username}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ada Lovelace</h1>" in body
    assert ">AL</span>" in body
    assert "Analytical Engine" in body
    assert "Secret Draft" not in body
    assert "Somebody Else" not in body
    assert author.get_absolute_url() == f"/authors/{author.username}/"


def test_profile_empty_state(client, user, site_pages):
    body = client.get(f"/authors/{user.username.upper()}/").content.decode()
    assert "has not published any projects yet" in body


def test_profile_404_for_unknown_or_inactive(client, site_pages):
    assert client.get("/authors/nobody-here/").status_code == 404
    inactive = UserFactory(is_active=False)
    assert client.get(f"/authors/{inactive.username}/").status_code == 404


def test_profile_escapes_the_display_name(client, site_pages):
    person = UserFactory(display_name="<script>alert(1)</script>")
    body = client.get(f"/authors/{person.username}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_profile_paginates_with_a_fixed_query_count(
    client, author, project_index, django_assert_max_num_queries
):
    for n in range(PROFILE_PAGE_SIZE + 2):
        ProjectPageFactory(owner=author, title=f"Project {n:02d}")
    first = client.get(f"/authors/{author.username}/")
    assert len(first.context["projects"]) == PROFILE_PAGE_SIZE
    assert 'rel="next"' in first.content.decode()
    second = client.get(f"/authors/{author.username}/?page=2")
    assert len(second.context["projects"]) == 2
    # Person, count, cards, their tags, covers, renditions, their reviews: however many.
    with django_assert_max_num_queries(8):
        client.get(f"/authors/{author.username}/")
