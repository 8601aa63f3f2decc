"""Following and unfollowing, on the web and in the API, by role: visitors are refused (sent
to sign in on the web, 401 in the API), every signed-in role may follow, nobody follows
themselves, a project must be public."""

import pytest

from accounts.factories import AdminFactory, AuthorFactory, UserFactory
from follows import services
from follows.models import Follow
from showcase.factories import ProjectPageFactory
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

SIGNED_IN = {"user": UserFactory, "author": AuthorFactory, "admin": AdminFactory}


@pytest.fixture
def targets(project, category):
    project.category = category
    project.save(update_fields=["category"])
    return {"author": project.owner, "category": category, "project": project}


def _web_follow(client, target_type, target, next_url="/projects/"):
    return client.post("/follows/", {"target": target_type, "id": target.pk, "next": next_url})


@pytest.mark.parametrize("target_type", ["author", "category", "project"])
def test_visitor_is_sent_to_sign_in_on_the_web(client, targets, target_type):
    response = _web_follow(client, target_type, targets[target_type], next_url="/authors/x/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fauthors%2Fx%2F"
    assert not Follow.objects.exists()


@pytest.mark.parametrize("target_type", ["author", "category", "project"])
def test_visitor_is_refused_by_the_api(targets, target_type):
    response = client_for(None).post(
        "/api/follows/", {target_type: targets[target_type].pk}, format="json"
    )
    assert response.status_code == 401
    assert client_for(None).get("/api/follows/").status_code == 401
    assert not Follow.objects.exists()


@pytest.mark.parametrize("role", list(SIGNED_IN))
@pytest.mark.parametrize("target_type", ["author", "category", "project"])
def test_signed_in_roles_follow_and_unfollow_on_the_web(client, targets, role, target_type):
    person = SIGNED_IN[role]()
    client.force_login(person)
    target = targets[target_type]
    response = _web_follow(client, target_type, target)
    assert (response.status_code, response["Location"]) == (302, "/projects/")
    assert services.is_following(person, target)
    page = client.get("/projects/").content.decode()
    assert "You follow" in page

    _web_follow(client, target_type, target)
    assert not services.is_following(person, target)
    assert not Follow.objects.filter(user=person).exists()


@pytest.mark.parametrize("role", list(SIGNED_IN))
@pytest.mark.parametrize("target_type", ["author", "category", "project"])
def test_signed_in_roles_follow_and_unfollow_in_the_api(targets, role, target_type):
    person = SIGNED_IN[role]()
    api = client_for(person)
    target = targets[target_type]
    created = api.post("/api/follows/", {target_type: target.pk}, format="json")
    assert created.status_code == 201
    assert created.json()["target_type"] == target_type
    assert created.json()["target"]["id"] == target.pk
    again = api.post("/api/follows/", {target_type: target.pk}, format="json")
    assert (again.status_code, again.json()["id"]) == (200, created.json()["id"])
    listed = api.get("/api/follows/").json()
    assert [f["id"] for f in listed["results"]] == [created.json()["id"]]

    assert api.delete(f"/api/follows/{created.json()['id']}/").status_code == 204
    assert not Follow.objects.filter(user=person).exists()


def test_nobody_follows_themselves(client, author):
    client.force_login(author)
    response = _web_follow(client, "author", author, next_url=f"/authors/{author.username}/")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You cannot follow yourself." in page
    assert "aria-pressed" not in page  # no button on one's own profile

    api = client_for(author)
    refused = api.post("/api/follows/", {"author": author.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"author": ["You cannot follow yourself."]}
    assert not Follow.objects.exists()


def test_someone_elses_follow_cannot_be_removed(targets, user):
    other = UserFactory()
    follow, _ = services.follow_add(user=other, target=targets["category"])
    assert client_for(user).delete(f"/api/follows/{follow.pk}/").status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()
    assert client_for(user).get("/api/follows/").json()["count"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"author": 1, "category": 1},
        {"project": "abc"},
        {"project": 999999},
        {"author": "\x00"},
    ],
)
def test_bad_api_input_is_a_400_with_messages(targets, user, body):
    response = client_for(user).post("/api/follows/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not Follow.objects.exists()


def test_a_draft_project_cannot_be_followed(client, project_index, author, user):
    draft = ProjectPageFactory(owner=author, live=False)
    response = client_for(user).post("/api/follows/", {"project": draft.pk}, format="json")
    assert response.status_code == 400 and "project" in response.json()["errors"]
    client.force_login(user)
    _web_follow(client, "project", draft)
    assert not Follow.objects.exists()


def test_bad_web_input_is_a_message_not_an_error(client, user):
    client.force_login(user)
    response = client.post("/follows/", {"target": "planet", "id": "x", "next": "/projects/"})
    assert (response.status_code, response["Location"]) == (302, "/projects/")
    assert not Follow.objects.exists()


def test_next_must_be_on_this_site(client, user, targets):
    client.force_login(user)
    response = _web_follow(client, "category", targets["category"], next_url="https://evil.test/")
    assert response["Location"] == "/"


def test_buttons_show_on_profile_category_and_project_pages(client, targets, user):
    author, category, project = targets["author"], targets["category"], targets["project"]
    pages = {
        "author": f"/authors/{author.username}/",
        "category": f"/projects/category/{category.slug}/",
        "project": project.url,
    }
    for target_type, url in pages.items():
        client.logout()
        visitor = client.get(url).content.decode()
        assert f'href="/accounts/login/?next={url}"' in visitor
        assert 'action="/follows/"' not in visitor  # no form (and no token) in a shared page
        client.force_login(user)
        signed_in = client.get(url).content.decode()
        assert f'name="target" value="{target_type}"' in signed_in
        assert 'aria-pressed="false"' in signed_in
        services.follow_add(user=user, target=targets[target_type])
        assert 'aria-pressed="true"' in client.get(url).content.decode()
