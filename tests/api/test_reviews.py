import pytest

from reviews.factories import ReviewFactory
from reviews.models import Report, Review

pytestmark = pytest.mark.django_db

BODY = {"rating": 4, "title": "Nice tool", "body": "It saved me an afternoon of work."}


def test_post_review_uses_the_service_rules(api, user, project, author):
    client = api(user)
    response = client.post(f"/api/projects/{project.pk}/reviews/", BODY, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["author"]["username"] == user.username
    project.refresh_from_db()
    assert project.review_count == 1
    again = client.post(f"/api/projects/{project.pk}/reviews/", BODY, format="json")
    assert again.status_code == 400
    assert "already reviewed" in again.json()["message"]
    own = api(author).post(f"/api/projects/{project.pk}/reviews/", BODY, format="json")
    assert own.status_code == 403
    short = api(author).post(
        f"/api/projects/{project.pk}/reviews/", {**BODY, "body": "short"}, format="json"
    )
    # Who you are is checked before what you wrote: still 403.
    assert short.status_code == 403


def test_list_shows_visible_reviews_only(api, project, user, other_author):
    shown = ReviewFactory(project=project, author=user)
    ReviewFactory(project=project, author=other_author, status=Review.Status.HIDDEN)
    body = api(None).get(f"/api/projects/{project.pk}/reviews/").json()
    assert [r["id"] for r in body["results"]] == [shown.pk]


def test_admin_lists_with_status_filter_and_hides(api, admin, project, user, other_author):
    visible = ReviewFactory(project=project, author=user)
    hidden = ReviewFactory(project=project, author=other_author, status=Review.Status.HIDDEN)
    client = api(admin)
    listed = client.get("/api/reviews/?status=hidden").json()["results"]
    assert [r["id"] for r in listed] == [hidden.pk]
    assert client.post(f"/api/reviews/{visible.pk}/hide/").json()["status"] == "hidden"
    assert client.post(f"/api/reviews/{hidden.pk}/restore/").json()["status"] == "visible"


def test_update_marks_edited(api, user, project):
    review = ReviewFactory(project=project, author=user)
    response = api(user).patch(f"/api/reviews/{review.pk}/", {"rating": 2}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["rating"] == 2 and response.json()["edited"] is True


def test_reply_and_helpful(api, user, author, other_author, project):
    review = ReviewFactory(project=project, author=user)
    reply = api(author).put(f"/api/reviews/{review.pk}/reply/", {"body": "Thanks!"}, format="json")
    assert reply.status_code == 200, reply.json()
    marked = api(other_author).post(f"/api/reviews/{review.pk}/helpful/")
    assert marked.json() == {"helpful": True, "created": True, "helpful_count": 1}
    detail = api(None).get(f"/api/reviews/{review.pk}/").json()
    assert detail["reply"]["body"] == "Thanks!" and detail["helpful_count"] == 1
    unmarked = api(other_author).delete(f"/api/reviews/{review.pk}/helpful/")
    assert unmarked.json()["helpful_count"] == 0


def test_report_resolve_hides_review(api, user, other_author, admin, project):
    review = ReviewFactory(project=project, author=user)
    created = api(other_author).post(
        "/api/reports/",
        {"target_type": "review", "target_id": review.pk, "reason": "abuse", "note": "rude"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    report_id = created.json()["id"]
    open_reports = api(admin).get("/api/reports/?status=open").json()["results"]
    assert [r["id"] for r in open_reports] == [report_id]
    resolved = api(admin).post(f"/api/reports/{report_id}/resolve/")
    assert resolved.json()["status"] == "resolved"
    review.refresh_from_db()
    assert review.status == Review.Status.HIDDEN
    assert api(admin).post(f"/api/reports/{report_id}/dismiss/").status_code == 400


def test_report_project_and_dismiss(api, user, admin, project):
    created = api(user).post(
        "/api/reports/",
        {"target_type": "project", "target_id": project.pk, "reason": "spam"},
        format="json",
    )
    assert created.status_code == 201
    report = Report.objects.get()
    assert report.project_id == project.pk
    assert api(admin).post(f"/api/reports/{report.pk}/dismiss/").json()["status"] == "dismissed"
    missing = api(user).post(
        "/api/reports/",
        {"target_type": "project", "target_id": 10**9, "reason": "spam"},
        format="json",
    )
    assert missing.status_code == 400
