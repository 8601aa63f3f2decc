"""The author's workspace in the admin: their projects with status, rating, reviews and last
edit, an "Add project" button, and a dashboard of their own figures, not the site's."""

import pytest

from accounts.factories import ModeratorFactory
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(author, other_author, project_index):
    mine = ProjectPageFactory(owner=author, title="Mine live")
    ProjectPage.objects.filter(pk=mine.pk).update(rating_average=4.5, review_count=7)
    ProjectPageFactory(owner=author, title="Mine draft", live=False)
    ProjectPageFactory(owner=other_author, title="Someone else's")
    return mine


def test_my_projects_lists_only_mine_with_their_figures(client, author, projects):
    client.force_login(author)
    html = client.get("/admin/projects/").content.decode()
    assert "Mine live" in html and "Mine draft" in html
    assert "Someone else" not in html
    for heading in ("Status", "Rating", "Reviews", "Last edited"):
        assert heading in html
    assert "4.50" in html and ">7<" in html.replace(" ", "").replace("\n", "")


def test_the_dashboard_shows_my_figures_not_the_sites(client, author, projects):
    client.force_login(author)
    html = client.get("/admin/").content.decode()
    assert "Your projects" in html
    assert "<strong>1</strong> live" in html and "<strong>1</strong> draft" in html
    assert "<strong>7</strong> reviews" in html and "Add project" in html
    assert "Someone else" not in html


def test_admins_get_every_project_and_the_site_summary(client, projects):
    client.force_login(ModeratorFactory())
    assert "Someone else" in client.get("/admin/projects/").content.decode()
    assert "Your projects" not in client.get("/admin/").content.decode()
