"""Co-makers: invited by the owner, they edit and publish like the owner on every route; only
the owner (or an admin) deletes, transfers and manages the co-makers."""

import pytest

from django.urls import reverse

from accounts.factories import AuthorFactory, UserFactory
from showcase.models import ProjectMember, ProjectPage
from tasks.emails import build_message
from tasks.models import EmailEvent
from tests.api.conftest import client_for, make_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def maker(project, author):
    """An author the owner invited, who accepted."""
    person = AuthorFactory()
    invited = client_for(author).post(
        f"/api/projects/{project.pk}/members/", {"user": person.username}, format="json"
    )
    assert invited.status_code == 201, invited.json()
    assert invited.json()["status"] == "invited"
    accepted = client_for(person).post(f"/api/me/invitations/{invited.json()['id']}/accept/")
    assert accepted.status_code == 200
    return person


def test_the_invitee_is_emailed_a_link_to_answer(project, author, client):
    person = UserFactory()
    client_for(author).post(
        f"/api/projects/{project.pk}/members/", {"user": person.email}, format="json"
    )
    event = EmailEvent.objects.get(kind="comaker_invited", recipient=person)
    message = build_message(event)
    assert project.title in message.subject and "/projects/invitations/" in message.body
    client.force_login(person)
    assert project.title in client.get("/projects/invitations/").content.decode()
    membership = ProjectMember.objects.get(user=person)
    client.post("/projects/invitations/", {"invitation": membership.pk, "answer": "accept"})
    assert ProjectMember.objects.get(user=person).status == "active"


def test_before_accepting_an_invitee_has_no_rights(project, author):
    person = AuthorFactory()
    client_for(author).post(
        f"/api/projects/{project.pk}/members/", {"user": person.username}, format="json"
    )
    edit = client_for(person).patch(f"/api/projects/{project.pk}/", {"tagline": "x"}, format="json")
    assert edit.status_code == 403


def test_a_comaker_edits_and_publishes_through_the_api(project, maker):
    make_complete(project)
    api = client_for(maker)
    assert (
        api.patch(f"/api/projects/{project.pk}/", {"tagline": "Co-made"}, format="json").status_code
        == 200
    )
    assert api.post(f"/api/projects/{project.pk}/publish/").status_code == 200
    assert ProjectPage.objects.get(pk=project.pk).tagline == "Co-made"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("delete", "/api/projects/{pk}/", None),
        ("post", "/api/projects/{pk}/transfer/", {"user": "someone"}),
        ("post", "/api/projects/{pk}/members/", {"user": "someone"}),
    ],
)
def test_only_the_owner_deletes_transfers_and_invites(project, maker, method, path, body):
    AuthorFactory(username="someone")
    response = getattr(client_for(maker), method)(path.format(pk=project.pk), body, format="json")
    assert response.status_code == 403
    assert ProjectPage.objects.filter(pk=project.pk, owner=project.owner).exists()


def test_a_comaker_edits_in_the_admin_but_cannot_delete(client, project, maker):
    client.force_login(maker)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[project.pk])).status_code == 200
    refused = client.get(reverse("wagtailadmin_pages:delete", args=[project.pk]))
    assert refused.status_code == 302 and refused.url == "/admin/"
    assert project.title in client.get("/admin/projects/").content.decode()


def test_the_project_page_names_its_makers(client, project, maker):
    html = client.get(project.url).content.decode()
    assert project.owner.public_name in html and maker.public_name in html


def test_the_owner_transfers_and_stays_on_as_a_comaker(project, author, maker):
    response = client_for(author).post(
        f"/api/projects/{project.pk}/transfer/", {"user": maker.username}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert ProjectPage.objects.get(pk=project.pk).owner_id == maker.pk
    assert ProjectMember.objects.get(project=project, user=author).status == "active"
    assert client_for(author).delete(f"/api/projects/{project.pk}/").status_code == 403


def test_projects_go_only_to_authors(project, author):
    plain = UserFactory()
    response = client_for(author).post(
        f"/api/projects/{project.pk}/transfer/", {"user": plain.username}, format="json"
    )
    assert response.status_code == 400 and "authors" in response.json()["errors"]["user"][0]


def test_removing_a_comaker_takes_the_rights_away(project, author, maker):
    removed = client_for(author).delete(f"/api/projects/{project.pk}/members/{maker.username}/")
    assert removed.status_code == 204
    edit = client_for(maker).patch(f"/api/projects/{project.pk}/", {"tagline": "x"}, format="json")
    assert edit.status_code == 403


def test_makers_may_not_review_their_project_on_any_route(client, project, author, maker):
    """The owner and an active co-maker are refused (403 in the API, a refusal on the web);
    someone only invited may review it."""
    invitee = AuthorFactory()
    client_for(author).post(
        f"/api/projects/{project.pk}/members/", {"user": invitee.username}, format="json"
    )
    body = {"rating": 5, "title": "Mine", "body": "Reviewing a project I make."}
    path = f"/api/projects/{project.pk}/reviews/"
    assert client_for(author).post(path, body, format="json").status_code == 403
    refused = client_for(maker).post(path, body, format="json")
    assert refused.status_code == 403
    assert refused.json()["message"] == "You cannot review your own project."
    assert client_for(invitee).post(path, body, format="json").status_code == 201
    client.force_login(maker)
    web = client.post(reverse("reviews:submit", args=[project.pk]), body)
    assert web.status_code == 403
    assert not project.reviews.filter(author__in=[author, maker]).exists()
