import pytest

from django.urls import reverse

from accounts.factories import AuthorFactory, UserFactory
from accounts.roles import ensure_role_groups
from reviews import services
from reviews.models import Report, Review
from showcase.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(site_pages):
    ensure_role_groups()


def url(name, *args, model="review"):
    return reverse(f"wagtailsnippets_reviews_{model}:{name}", args=args)


def bulk_url(action, reviews, next_url="/admin/"):
    ids = "&".join(f"id={r.pk}" for r in reviews)
    return (
        reverse("wagtail_bulk_action", args=["reviews", "review", action])
        + f"?{ids}&next={next_url}"
    )


@pytest.fixture
def reviews(project, make_review):
    return [
        make_review(rating=r, title=f"Review {r}", body=f"Body for rating {r}.") for r in (1, 5)
    ]


def denied(response) -> bool:
    """Wagtail answers a permission failure in its admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_plain_user_never_reaches_the_admin(client, reviews):
    client.force_login(UserFactory())
    for target in ("/admin/", url("list"), url("edit", reviews[0].pk), url("list", model="report")):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"], target


def test_moderator_lists_filters_and_searches(client, moderator, reviews, project):
    services.review_hide(review=reviews[0], actor=moderator)
    services.report_create(reporter=UserFactory(), target=reviews[1], reason="spam")
    client.force_login(moderator)
    html = client.get(url("list")).content.decode()
    assert "Review 1" in html and "Review 5" in html
    hidden = client.get(url("list"), {"status": "hidden"}).content.decode()
    assert "Review 1" in hidden and "Review 5" not in hidden
    five = client.get(url("list"), {"rating": "5"}).content.decode()
    assert "Review 5" in five and "Review 1" not in five
    reported = client.get(url("list"), {"reported": "true"}).content.decode()
    assert "Review 5" in reported and "Review 1" not in reported
    other = ProjectPageFactory()
    assert "Review 5" not in client.get(url("list"), {"project": other.pk}).content.decode()
    assert "Review 5" in client.get(url("list"), {"project": project.pk}).content.decode()
    found = client.get(url("list"), {"q": "rating 5"}).content.decode()
    assert "Review 5" in found and "Review 1" not in found


def test_bulk_hide_restore_delete_keep_aggregates(client, moderator, reviews, project):
    client.force_login(moderator)
    assert client.get(bulk_url("hide", reviews)).status_code == 200
    assert client.post(bulk_url("hide", reviews)).status_code == 302
    assert Review.objects.hidden().count() == 2
    project.refresh_from_db()
    assert project.review_count == 0
    client.post(bulk_url("restore", reviews))
    project.refresh_from_db()
    assert project.review_count == 2 and Review.objects.visible().count() == 2
    client.post(bulk_url("delete", reviews[:1]))
    project.refresh_from_db()
    assert Review.objects.count() == 1 and project.review_count == 1
    assert float(project.rating_average) == 5.0


def test_edit_in_admin_goes_through_the_rules(client, moderator, reviews, project):
    client.force_login(moderator)
    review = reviews[0]
    data = {
        "rating": "3",
        "title": "Moderated",
        "body": "A moderated body text.",
        "status": "hidden",
    }
    response = client.post(url("edit", review.pk), data)
    assert response.status_code == 302
    review.refresh_from_db()
    project.refresh_from_db()
    assert (review.title, review.status, review.edited) == ("Moderated", "hidden", True)
    assert project.review_count == 1
    bad = client.post(url("edit", review.pk), {**data, "body": "short"})
    assert bad.status_code == 200 and "at least" in bad.content.decode()


def test_delete_in_admin_recomputes(client, moderator, reviews, project):
    client.force_login(moderator)
    assert client.post(url("delete", reviews[0].pk)).status_code == 302
    project.refresh_from_db()
    assert project.review_count == 1


def test_reports_resolve_and_dismiss(client, moderator, reviews, project):
    resolve_me = services.report_create(reporter=UserFactory(), target=reviews[0], reason="spam")
    dismiss_me = services.report_create(
        reporter=UserFactory(), target=project, reason="other", note="Looks like an ad."
    )
    client.force_login(moderator)
    listing = client.get(url("list", model="report")).content.decode()
    assert "Review 1" in listing and url("resolve", resolve_me.pk, model="report") in listing
    assert client.get(url("resolve", resolve_me.pk, model="report")).status_code == 200
    client.post(url("resolve", resolve_me.pk, model="report"))
    client.post(url("dismiss", dismiss_me.pk, model="report"))
    resolve_me.refresh_from_db()
    dismiss_me.refresh_from_db()
    reviews[0].refresh_from_db()
    project.refresh_from_db()
    assert resolve_me.status == "resolved" and reviews[0].status == "hidden"
    assert dismiss_me.status == "dismissed" and project.live
    assert client.get(url("inspect", resolve_me.pk, model="report")).status_code == 200
    open_one = services.report_create(reporter=UserFactory(), target=reviews[1], reason="spam")
    inspect = client.get(url("inspect", open_one.pk, model="report")).content.decode()
    assert url("dismiss", open_one.pk, model="report") in inspect


def test_dashboard_panel_and_menu_counts(client, moderator, reviews):
    services.report_create(reporter=UserFactory(), target=reviews[0], reason="abuse")
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert "Open reports (1)" in html and "Latest reviews" in html
    assert "Reports (1)" in html and "Reviews (1)" in html


def test_author_sees_own_project_reviews_read_only(client, author, reviews, project):
    other_project = ProjectPageFactory(owner=AuthorFactory())
    foreign = services.review_submit(
        author=UserFactory(),
        project=other_project,
        rating=2,
        title="Elsewhere",
        body="Another project.",
    )
    client.force_login(author)
    listing = client.get(url("list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Review 1" in html and "Elsewhere" not in html
    assert client.get(url("inspect", reviews[0].pk)).status_code == 200
    assert denied(client.get(url("inspect", foreign.pk)))
    for name in ("edit", "delete"):
        assert denied(client.get(url(name, reviews[0].pk)))
        assert denied(client.post(url(name, reviews[0].pk), {"title": "x"}))
    client.post(bulk_url("hide", reviews))
    client.post(bulk_url("delete", reviews))
    assert Review.objects.visible().filter(project=project).count() == 2
    assert denied(client.get(url("add")))
    assert denied(client.get(url("list", model="report")))
    report = services.report_create(reporter=UserFactory(), target=reviews[0], reason="spam")
    assert denied(client.post(url("resolve", report.pk, model="report")))
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert "Open reports (" not in client.get("/admin/").content.decode()


def test_history_and_usage_follow_instance_permissions(client, author, moderator, reviews):
    foreign = services.review_submit(
        author=UserFactory(),
        project=ProjectPageFactory(owner=AuthorFactory()),
        rating=3,
        title="Not yours",
        body="A review of someone else's project.",
    )
    client.force_login(moderator)
    for name in ("history", "usage", "inspect"):
        assert client.get(url(name, foreign.pk)).status_code == 200, name
    client.force_login(author)
    assert client.get(url("inspect", reviews[0].pk)).status_code == 200
    for name in ("history", "usage", "inspect"):
        assert denied(client.get(url(name, foreign.pk))), name
