"""A project's insights are its makers' and admins': the REST API and the admin page refuse
everyone else, and the figures they show are the flushed daily rows and the visible reviews."""

from datetime import timedelta

import pytest

from django.utils import timezone

from accounts.factories import AdminFactory, AuthorFactory, ModeratorFactory, UserFactory
from community.services import upvote_toggle
from follows.services import follow_add
from insights.models import ProjectDay
from reviews.factories import ReviewFactory
from reviews.models import Review
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectMember
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

# role -> (API status, admin page status); the admin sends an author it refuses back to the
# dashboard with Wagtail's "no permission" message, and everyone else to sign in.
ALLOWED = {"owner": (200, 200), "co-maker": (200, 200), "admin": (200, 200),
           "moderator": (200, 200), "other author": (403, 302), "user": (403, 302),
           "visitor": (401, 302)}  # fmt: skip
SENT_TO = {"other author": "/admin/", "user": "/admin/login/", "visitor": "/admin/login/"}


@pytest.fixture
def people(author):
    maker = AuthorFactory()
    return {
        "owner": author,
        "co-maker": maker,
        "admin": AdminFactory(),
        "moderator": ModeratorFactory(),
        "other author": AuthorFactory(),
        "user": UserFactory(),
        "visitor": None,
    }


@pytest.fixture
def figures_of(project, people):
    ProjectMember.objects.create(project=project, user=people["co-maker"], status="active")
    today = timezone.localdate()
    ProjectDay.objects.create(project=project, day=today, visitors=5, repository_clicks=2)
    ProjectDay.objects.create(project=project, day=today - timedelta(days=3), visitors=1)
    ProjectDay.objects.create(project=project, day=today - timedelta(days=90), visitors=99)
    ReviewFactory(project=project)
    ReviewFactory(project=project, status=Review.Status.HIDDEN)
    fans = UserFactory(), UserFactory()
    for fan in fans:
        upvote_toggle(user=fan, project=project)
    upvote_toggle(user=fans[1], project=project)  # taken back: no longer counted
    follow_add(user=fans[0], target=project)
    return project


@pytest.mark.parametrize("role", ALLOWED)
def test_the_api_answers_only_makers_and_admins(role, people, figures_of):
    response = client_for(people[role]).get(f"/api/projects/{figures_of.pk}/insights/")
    assert response.status_code == ALLOWED[role][0], response.content
    if response.status_code == 200:
        series = {s["name"]: s for s in response.json()["series"]}
        assert len(series["visitors"]["points"]) == 90
        assert series["visitors"]["total"] == 6  # the row 90 days ago is outside the window
        assert series["visitors"]["points"][-1] == 5 and series["visitors"]["points"][-4] == 1
        assert series["repository_clicks"]["total"] == 2
        assert series["reviews"]["total"] == 1  # a hidden review is not counted
        assert series["upvotes"]["total"] == 1 and series["upvotes"]["points"][-1] == 1
        assert series["follows"]["total"] == 1


@pytest.mark.parametrize("role", ALLOWED)
def test_the_admin_page_shows_only_makers_and_admins(role, people, figures_of, client):
    if people[role] is not None:
        client.force_login(people[role])
    response = client.get(f"/admin/projects/{figures_of.pk}/insights/")
    assert response.status_code == ALLOWED[role][1]
    if response.status_code == 200:
        html = response.content.decode()
        assert "<svg" in html and 'aria-label="Visitors per day' in html
        assert "6 in all" in html
    else:
        assert response["Location"].split("?")[0] == SENT_TO[role]
        if role == "other author":
            refused = client.get(response["Location"]).content.decode()
            assert "Sorry, you do not have permission to access this area." in refused


def test_a_draft_is_not_found_for_others_and_shown_to_its_owner(site_pages, author, other_author):
    draft = ProjectPageFactory(owner=author, live=False)
    assert client_for(other_author).get(f"/api/projects/{draft.pk}/insights/").status_code == 404
    assert client_for(author).get(f"/api/projects/{draft.pk}/insights/").status_code == 200
    assert client_for(author).get("/api/projects/abc/insights/").status_code == 404
    assert client_for(author).get("/api/projects/987654/insights/").status_code == 404


def test_the_editor_links_insights_only_for_its_makers(client, project, author):
    client.force_login(author)
    link = f'href="/admin/projects/{project.pk}/insights/"'
    assert link in client.get(f"/admin/pages/{project.pk}/edit/").content.decode()


def test_the_dashboard_lists_the_visitors_of_ones_own_projects(client, figures_of, author, people):
    theirs = ProjectPageFactory(owner=people["other author"], title="Not Yours At All")
    ProjectDay.objects.create(project=theirs, day=timezone.localdate(), visitors=40)
    for person in (author, people["co-maker"]):
        client.force_login(person)
        html = client.get("/admin/").content.decode()
        assert "Visitors in the last 30 days" in html
        assert figures_of.title in html and "Not Yours At All" not in html
    client.force_login(UserFactory())
    assert "Visitors in the last 30 days" not in client.get("/admin/").content.decode()
