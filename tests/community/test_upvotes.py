"""Upvotes ("I use this"): one per user per project, never on a project one makes, only on
published projects; the same rules and the same rate limit on the web button and the API."""

import pytest

from community import services
from community.models import Upvote
from proctique import versions
from showcase.models import ProjectPage
from tests.community.conftest import client_for

pytestmark = pytest.mark.django_db


def count_of(project) -> int:
    return ProjectPage.objects.get(pk=project.pk).upvote_count


# Route x role: who may upvote, on the web (form and JSON) and in the API.
ROLES = ["visitor", "user", "owner", "comaker"]
EXPECTED = {
    "web": {"visitor": 302, "user": 302, "owner": 403, "comaker": 403},
    "web-json": {"visitor": 401, "user": 200, "owner": 403, "comaker": 403},
    "api": {"visitor": 401, "user": 200, "owner": 403, "comaker": 403},
}


def caller(request, role):
    return {
        "visitor": None,
        "user": request.getfixturevalue("user"),
        "owner": request.getfixturevalue("author"),
        "comaker": request.getfixturevalue("comaker"),
    }[role]


@pytest.mark.parametrize("route", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_route_by_role(request, client, project, route, role):
    who = caller(request, role)
    if route == "api":
        response = client_for(who).post(f"/api/projects/{project.pk}/upvote/")
    else:
        if who is not None:
            client.force_login(who)
        headers = {"Accept": "application/json"} if route == "web-json" else {}
        response = client.post(f"/upvotes/{project.pk}/", {"state": "on"}, headers=headers)
    assert response.status_code == EXPECTED[route][role]
    upvoted = role == "user"
    assert Upvote.objects.filter(project=project).exists() is upvoted
    assert count_of(project) == (1 if upvoted else 0)
    if route == "web" and role == "visitor":
        assert response["Location"].startswith("/accounts/login/")


def test_no_js_form_upvotes_and_redirects_back_to_the_button(client, project, user):
    client.force_login(user)
    response = client.post(f"/upvotes/{project.pk}/", {"state": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"{project.url}#upvote"
    page = client.get(project.url).content.decode()
    assert 'aria-pressed="true"' in page
    assert "1 upvote<" in page and "You use this" in page
    # The form now offers to take it back.
    assert 'name="state" value="off"' in page

    client.post(f"/upvotes/{project.pk}/", {"state": "off"})
    page = client.get(project.url).content.decode()
    assert 'aria-pressed="false"' in page and "0 upvotes" in page
    assert count_of(project) == 0


def test_a_resent_form_does_not_count_twice(client, project, user):
    client.force_login(user)
    for _ in range(2):
        client.post(f"/upvotes/{project.pk}/", {"state": "on"})
    assert count_of(project) == 1


def test_json_answers_the_state_and_the_count(client, project, user):
    client.force_login(user)
    answer = client.post(
        f"/upvotes/{project.pk}/", {"state": "on"}, headers={"Accept": "application/json"}
    )
    assert answer.json() == {"upvoted": True, "upvote_count": 1}


def test_the_api_upvotes_and_takes_back(project, user, other_author):
    first = client_for(user).post(f"/api/projects/{project.pk}/upvote/")
    assert first.json() == {"upvoted": True, "upvote_count": 1}
    again = client_for(user).post(f"/api/projects/{project.pk}/upvote/")
    assert again.json() == {"upvoted": True, "upvote_count": 1}
    second = client_for(other_author).post(f"/api/projects/{project.pk}/upvote/")
    assert second.json() == {"upvoted": True, "upvote_count": 2}
    taken = client_for(user).delete(f"/api/projects/{project.pk}/upvote/")
    assert taken.status_code == 200
    assert taken.json() == {"upvoted": False, "upvote_count": 1}
    detail = client_for(None).get(f"/api/projects/{project.pk}/").json()
    assert detail["upvote_count"] == 1
    listed = client_for(None).get("/api/projects/").json()["results"]
    assert [p["upvote_count"] for p in listed if p["id"] == project.pk] == [1]


@pytest.mark.parametrize("path", ["{draft}", "x", "²", "999999"])
def test_only_published_projects_take_upvotes(client, user, draft, path):
    project_id = path.format(draft=draft.pk)
    response = client_for(user).post(f"/api/projects/{project_id}/upvote/")
    assert response.status_code == 404
    assert "message" in response.json()
    client.force_login(user)
    if project_id.isascii() and project_id.isdecimal():
        assert client.post(f"/upvotes/{project_id}/", {"state": "on"}).status_code == 404
    assert not Upvote.objects.exists()


def test_the_service_refuses_drafts_and_own_projects(user, author, draft, project):
    with pytest.raises(services.ValidationError):
        services.upvote_set(user=user, project=draft, on=True)
    with pytest.raises(services.PermissionDenied):
        services.upvote_toggle(user=author, project=project)
    assert services.upvote_toggle(user=user, project=project) is True
    assert services.upvote_toggle(user=user, project=project) is False


def test_an_upvote_bumps_the_public_version(
    client, project, user, django_capture_on_commit_callbacks
):
    before = versions.current().value
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/upvotes/{project.pk}/", {"state": "on"})
    assert versions.current().value > before


def test_the_count_shows_on_cards_and_the_headless_api(client, project, user):
    services.upvote_set(user=user, project=project, on=True)
    listing = client.get("/projects/").content.decode()
    assert "1 upvote<" in listing
    headless = client.get(
        "/api/v2/pages/", {"type": "showcase.ProjectPage", "fields": "upvote_count"}
    ).json()
    assert [item["upvote_count"] for item in headless["items"]] == [1]


def test_a_revision_publish_keeps_the_count(project, user, author):
    services.upvote_set(user=user, project=project, on=True)
    stale = ProjectPage.objects.get(pk=project.pk)
    stale.upvote_count = 0  # an instance loaded before the vote
    stale.tagline = "Edited after the vote"
    stale.save_revision(user=author).publish(user=author)
    assert count_of(project) == 1


def test_the_web_and_the_api_share_one_rate_limit(client, project, user, upvote_rate):
    upvote_rate("3/hour")
    client.force_login(user)
    json = {"Accept": "application/json"}
    assert client.post(f"/upvotes/{project.pk}/", {"state": "on"}, headers=json).status_code == 200
    assert client.post(f"/upvotes/{project.pk}/", {"state": "off"}, headers=json).status_code == 200
    api = client_for(user)
    assert api.post(f"/api/projects/{project.pk}/upvote/").status_code == 200
    refused = api.delete(f"/api/projects/{project.pk}/upvote/")
    assert refused.status_code == 429
    assert refused.json()["retry_after"] > 0
    web = client.post(f"/upvotes/{project.pk}/", {"state": "off"}, headers=json)
    assert web.status_code == 429
    # The no-JS form says so on the page it returns to.
    page = client.post(f"/upvotes/{project.pk}/", {"state": "off"}, follow=True)
    assert "upvoted too often" in page.content.decode()
    assert count_of(project) == 1
