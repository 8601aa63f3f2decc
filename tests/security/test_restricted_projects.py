"""A view-restricted project (password or sign-in) is not discoverable: no listing, search,
feed, sitemap, API or headless read shows it, and it takes no reviews or reports. Its owner
still reaches it through their own routes; saving a restriction invalidates cached pages."""

import pytest

from django.core.exceptions import ValidationError

from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from proctique import versions
from reviews import services as reviews
from reviews.factories import ReviewFactory
from reviews.models import Review
from showcase import restrictions
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage
from tests.security.conftest import client_for

pytestmark = pytest.mark.django_db

REVIEW = {"rating": 4, "title": "Nice", "body": "Worth a look."}


@pytest.fixture
def restricted(author):
    project = ProjectPageFactory(
        owner=author, title="Behind a password", slug="behind-a-password", tagline="Secret"
    )
    PageViewRestriction.objects.create(
        page=project, restriction_type=PageViewRestriction.PASSWORD, password="letmein"
    )
    return project


PUBLIC_LISTINGS = [
    "/",
    "/projects/",
    "/projects/?q=password",
    "/projects/feed/",
    "/projects/feed/atom/",
    "/sitemap.xml",
    "/api/projects/",
    "/api/projects/?q=password",
    "/api/v2/pages/?type=showcase.ProjectPage",
    "/api/v2/pages/?search=password",
]


@pytest.mark.parametrize("url", PUBLIC_LISTINGS)
def test_no_public_listing_shows_it(client, restricted, project, reindex, url):
    reindex()
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Behind a password" not in body and "behind-a-password" not in body


def test_its_authors_profile_does_not_list_it(client, restricted, author):
    assert "Behind a password" not in client.get(f"/authors/{author.username}/").content.decode()


@pytest.mark.parametrize(
    "url", ["/api/projects/{pk}/", "/api/projects/behind-a-password/", "/api/v2/pages/{pk}/"]
)
def test_no_api_detail_serves_it_anonymously(client, restricted, url):
    assert client.get(url.format(pk=restricted.pk)).status_code == 404


def test_the_page_itself_asks_for_the_password(client, restricted):
    html = client.get(restricted.url).content.decode()
    assert "password" in html.lower() and "Secret" not in html


def test_it_takes_no_reviews_or_reports_on_any_route(client, restricted):
    user = UserFactory()
    review = ReviewFactory(project=restricted)
    client.force_login(user)
    body = {"rating": "5", "title": "Sneaky", "body": "Reviewing what I cannot see."}
    assert client.post(f"/reviews/projects/{restricted.pk}/review/", body).status_code == 404
    assert client.get(f"/reviews/projects/{restricted.pk}/report/").status_code == 404
    assert client.get(f"/reviews/{review.pk}/report/").status_code == 404
    api = client_for(user)
    assert api.get(f"/api/projects/{restricted.pk}/reviews/").status_code == 404
    created = api.post(
        f"/api/projects/{restricted.pk}/reviews/",
        {"rating": 5, "title": "Sneaky", "body": "Reviewing what I cannot see."},
        format="json",
    )
    assert created.status_code == 404
    report = api.post(
        "/api/reports/",
        {"target_type": "project", "target_id": restricted.pk, "reason": "spam"},
        format="json",
    )
    assert report.status_code == 400
    assert api.get(f"/api/reviews/{review.pk}/").status_code == 404


def test_its_owner_still_reaches_it(restricted, author):
    api = client_for(author)
    assert api.get(f"/api/projects/{restricted.pk}/").status_code == 200
    mine = [p["id"] for p in api.get("/api/me/projects/").json()["results"]]
    assert restricted.pk in mine


def test_saving_a_restriction_invalidates_cached_pages(
    client, project, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    assert project.tagline in client.get(project.url).content.decode()
    assert project.title in client.get("/projects/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=project, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert project.tagline not in client.get(project.url).content.decode()
    assert project.title not in client.get("/projects/").content.decode()


def test_only_projects_loaded_through_discoverable_are_taken_as_reviewable(
    restricted, project, author
):
    projects = ProjectPage.objects
    assert projects.discoverable().get(pk=project.pk).found_discoverable
    assert projects.discoverable().filter(title=project.title).first().found_discoverable
    # Loaded any other way, or mixed with rows that need not be discoverable: asked again.
    for loaded in (
        projects.get(pk=project.pk),
        projects.visible_to(author).get(pk=project.pk),
        (projects.discoverable() | projects.filter(pk=restricted.pk)).get(pk=project.pk),
    ):
        assert not getattr(loaded, "found_discoverable", False)
    with pytest.raises(ValidationError):
        reviews.review_submit(
            author=UserFactory(), project=projects.get(pk=restricted.pk), **REVIEW
        )
    # Unpublished after it was loaded: the service asks the database again.
    found = projects.discoverable().get(pk=project.pk)
    found.unpublish()
    with pytest.raises(ValidationError):
        reviews.review_submit(author=UserFactory(), project=found, **REVIEW)
    assert not Review.objects.filter(project=project).exists()


def test_restrictions_are_kept_across_reviews_and_read_again_once_they_move(
    project_index, project, author, django_capture_on_commit_callbacks
):
    """Every process keeps the restrictions under their own version: a review (which changes the
    public version) leaves it, and whatever moves a restricted path changes it."""

    def after(change) -> tuple[bool, bool]:
        """Whether (the public version, the restrictions' version) changed."""
        before = (versions.current().value, versions.current(restrictions.VERSION).value)
        with django_capture_on_commit_callbacks(execute=True):
            change()
        now = (versions.current().value, versions.current(restrictions.VERSION).value)
        return now[0] > before[0], now[1] > before[1]

    reader = UserFactory()

    def review():
        reviews.review_submit(author=reader, project=project, **REVIEW)

    def restrict():
        PageViewRestriction.objects.create(
            page=project, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )

    other = ProjectPageFactory(owner=author)
    assert after(review) == (True, False)
    assert after(restrict) == (True, True)

    def move():
        ProjectPage.objects.get(pk=other.pk).move(
            ProjectPage.objects.get(pk=project.pk), pos="left"
        )

    assert after(move) == (True, True)
    assert after(lambda: PageViewRestriction.objects.filter(page=project).delete()) == (True, True)
    assert after(lambda: ProjectPage.objects.get(pk=other.pk).delete()) == (True, True)
