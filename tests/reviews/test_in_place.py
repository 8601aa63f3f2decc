"""Helpful votes and reports answer JSON for the page's script, and still work without it.

The helpful vote's rule (not on one's own review, not on reviews of a project one makes) is
`reviews.services.can_vote`; every route is driven for every role below.
"""

import re

import pytest

from django.urls import reverse

from accounts.factories import AuthorFactory, UserFactory
from reviews.models import HelpfulVote, Report
from showcase.models import ProjectMember
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def review(make_review):
    return make_review(title="Worth a look")


def review_item(html: str, review) -> str:
    """The review's own list item in the project page."""
    start = html.index(f'id="review-{review.pk}"')
    return html[start : html.index("</li>", start)]


def test_report_without_javascript_returns_to_the_review_marked_reported(client, project, review):
    client.force_login(UserFactory())
    response = client.post(reverse("reviews:report", args=[review.pk]), {"reason": "spam"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"{project.url}#review-{review.pk}")
    page = client.get(project.url).content.decode()
    item = review_item(page, review)
    assert "Reported" in item
    assert reverse("reviews:report", args=[review.pk]) not in item
    assert "Thank you: a moderator will look at your report." in page


def test_report_mark_is_the_reporters_own(client, project, review):
    Report.objects.create(reporter=UserFactory(), review=review, reason="spam")
    client.force_login(UserFactory())
    item = review_item(client.get(project.url).content.decode(), review)
    assert "Reported" not in item
    assert reverse("reviews:report", args=[review.pk]) in item


def test_report_answers_json_when_asked(client, review):
    client.force_login(UserFactory())
    url = reverse("reviews:report", args=[review.pk])
    response = client.post(url, {"reason": "spam"}, **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "reported": True,
        "message": "Thank you: a moderator will look at your report.",
    }
    again = client.post(url, {"reason": "spam"}, **JSON)
    assert again.status_code == 400
    assert again.json()["errors"]["__all__"] == ["You have already reported this; we are on it."]


def test_report_json_names_the_field_in_error(client, review):
    client.force_login(UserFactory())
    response = client.post(reverse("reviews:report", args=[review.pk]), {}, **JSON)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]
    assert not Report.objects.exists()


def test_helpful_answers_json_with_the_new_count(client, review):
    client.force_login(UserFactory())
    url = reverse("reviews:helpful", args=[review.pk])
    HelpfulVote.objects.create(review=review, user=UserFactory())
    marked = client.post(url, {"action": "mark"}, **JSON)
    assert marked.json() == {"helpful": True, "helpful_count": 2}
    unmarked = client.post(url, {"action": "unmark"}, **JSON)
    assert unmarked.json() == {"helpful": False, "helpful_count": 1}


def test_no_helpful_button_for_the_projects_makers(client, project, review):
    comaker = AuthorFactory()
    ProjectMember.objects.create(project=project, user=comaker, status=ProjectMember.Status.ACTIVE)
    helpful_url = reverse("reviews:helpful", args=[review.pk])
    for maker in (project.owner, comaker):
        client.force_login(maker)
        assert helpful_url not in client.get(project.url).content.decode()
    client.force_login(UserFactory())
    assert helpful_url in client.get(project.url).content.decode()


ROLES = ["anon", "user", "review_author", "owner", "comaker"]
# role -> (web form, web JSON, API): what each route answers a helpful mark.
EXPECTED = {
    "anon": (302, 302, 401),
    "user": (302, 200, 200),
    "review_author": (403, 403, 403),
    "owner": (403, 403, 403),
    "comaker": (403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_helpful_mark_route_by_role(client, project, review, role):
    comaker = AuthorFactory()
    ProjectMember.objects.create(project=project, user=comaker, status=ProjectMember.Status.ACTIVE)
    actor = {
        "anon": None,
        "user": UserFactory(),
        "review_author": review.author,
        "owner": project.owner,
        "comaker": comaker,
    }[role]
    if actor is not None:
        client.force_login(actor)
    url = reverse("reviews:helpful", args=[review.pk])
    web, web_json, api = EXPECTED[role]

    response = client.post(url, {"action": "mark"})
    assert response.status_code == web
    if web == 302 and actor is None:
        assert re.search(r"/accounts/login/", response["Location"])
    HelpfulVote.objects.all().delete()

    response = client.post(url, {"action": "mark"}, **JSON)
    assert response.status_code == web_json
    if web_json == 403:
        assert "cannot" in response.json()["errors"]["__all__"][0]
    HelpfulVote.objects.all().delete()

    response = client_for(actor).post(f"/api/reviews/{review.pk}/helpful/")
    assert response.status_code == api
    voted = HelpfulVote.objects.filter(review=review).exists()
    assert voted is (role == "user")


def test_project_report_returns_to_the_top_of_the_page_with_its_message(client, project):
    client.force_login(UserFactory())
    url = reverse("reviews:report_project", args=[project.pk])
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302 and response["Location"].endswith(project.url)
    assert "Thank you: a moderator" in client.get(project.url).content.decode()
