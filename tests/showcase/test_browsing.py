"""Browsing by category and tag, facets with counts, numbered pagination, makers to meet, and
the home page's editorial strips."""

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image as PILImage

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.factories import UserFactory
from reviews import aggregates
from reviews.factories import ReviewFactory
from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import FeaturedProject, ProjectPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves(project_index, author, other_author):
    tools = CategoryFactory(name="Developer tools", slug="tools", description="Ship faster.")
    games = CategoryFactory(name="Games", slug="games")
    made = []
    for n, (category, tag) in enumerate([(tools, "python"), (tools, "rust"), (games, "python")]):
        page = ProjectPageFactory(owner=author if n < 2 else other_author, category=category)
        page.tags.add(tag)
        page.save_revision().publish()
        made.append(page)
    return tools, games, made


def titles(response):
    return [p.title for p in response.context["projects"]]


def test_a_category_page_shows_its_description_projects_and_feed(client, shelves):
    tools, _, made = shelves
    response = client.get("/projects/category/tools/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Developer tools</h1>" in html and "Ship faster." in html
    assert sorted(titles(response)) == sorted(p.title for p in made[:2])
    feed = ET.fromstring(client.get("/projects/category/tools/feed/").content)  # noqa: S314
    assert sorted(i.findtext("title") for i in feed.iter("item")) == sorted(
        p.title for p in made[:2]
    )
    assert client.get("/projects/category/nope/").status_code == 404


def test_a_tag_page_lists_its_projects(client, shelves):
    _, _, made = shelves
    response = client.get("/projects/tag/python/")
    assert "Projects tagged “python”" in response.content.decode()
    assert sorted(titles(response)) == sorted([made[0].title, made[2].title])


def test_facets_count_the_current_results(client, shelves):
    response = client.get("/projects/", {"tag": "python"})
    facets = response.context["facets"]
    assert {c["slug"]: c["count"] for c in facets["categories"]} == {"tools": 1, "games": 1}
    assert {t["slug"]: t["count"] for t in facets["tags"]} == {"python": 2}
    # The tag field suggests the tags in use.
    assert '<option value="rust">' in response.content.decode()


def test_category_and_tag_pages_are_in_the_sitemap(client, shelves):
    xml = client.get("/sitemap.xml").content.decode()
    assert "/projects/category/tools/" in xml and "/projects/tag/python/" in xml


def test_pagination_is_numbered_and_counts_the_filter(client, project_index, author):
    games = CategoryFactory(slug="many")
    for _ in range(50):
        ProjectPageFactory(owner=author, category=games)
    response = client.get("/projects/", {"category": "many", "page": 2})
    html = response.content.decode()
    assert "50 projects" in html
    assert 'aria-current="page"' in html and "category=many&amp;page=3" in html


def test_the_makers_directory_searches_and_sorts(client, shelves, author, other_author):
    author.display_name, other_author.display_name = "Ada Maker", "Bob Builder"
    author.save()
    other_author.save()
    names = [p.public_name for p in client.get("/authors/").context["people"]]
    assert names == ["Ada Maker", "Bob Builder"]  # most projects first
    found = client.get("/authors/", {"q": "bob"}).context["people"]
    assert [p.public_name for p in found] == ["Bob Builder"]
    assert "/authors/" in client.get("/").content.decode()  # linked from the footer


def avatar_upload(size=(800, 500)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 40, 90)).save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def test_a_profile_with_avatar_bio_links_projects_and_reviews(client, shelves, author):
    reviewer = UserFactory(display_name="Rita Reviewer")
    ReviewFactory(project=shelves[2][2], author=reviewer, title="Loved the levels")
    aggregates.recompute(shelves[2][2])
    client.force_login(reviewer)
    saved = client.post(
        "/accounts/settings/profile/",
        {
            "avatar": avatar_upload(),
            "bio": "I play everything.",
            "website_url": "https://rita.example",
            "code_url": "",
            "show_reviews_on_profile": "on",
        },
    )
    assert saved.status_code == 302
    reviewer.refresh_from_db()
    with PILImage.open(reviewer.avatar) as stored:
        assert stored.size == (256, 256) and stored.format == "WEBP"
    client.logout()
    html = client.get(f"/authors/{reviewer.username}/").content.decode()
    assert "I play everything." in html and 'href="https://rita.example"' in html
    assert "Loved the levels" in html and reviewer.avatar.url in html
    # Reviewer names on project pages link to their profiles.
    assert f"/authors/{reviewer.username}/" in client.get(shelves[2][2].url).content.decode()


def test_reviews_can_be_kept_off_a_profile(client, shelves):
    reviewer = UserFactory(show_reviews_on_profile=False)
    ReviewFactory(project=shelves[2][0], author=reviewer, title="A private opinion")
    html = client.get(f"/authors/{reviewer.username}/").content.decode()
    assert "A private opinion" not in html and "keeps their reviews off" in html


def test_a_non_image_avatar_is_a_form_error(client, user):
    client.force_login(user)
    bad = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    response = client.post("/accounts/settings/profile/", {"avatar": bad, "bio": ""})
    assert response.status_code == 200 and response.context["form"].errors["avatar"]


def test_home_shows_featured_and_recently_reviewed(client, shelves, site_pages):
    home, _ = site_pages
    featured = shelves[2][1]
    FeaturedProject.objects.create(home=home, project=ProjectPage.objects.get(pk=featured.pk))
    ReviewFactory(project=shelves[2][0], title="Fresh opinion")
    response = client.get("/")
    html = response.content.decode()
    assert [p.pk for p in response.context["featured"]] == [featured.pk]
    recently = html.split('id="recently-reviewed-heading"')[1]
    assert shelves[2][0].title in recently.split("</section>")[0]


def test_suggestions_answer_json_and_refuse_nothing(client, shelves, reindex):
    reindex()
    title = shelves[2][0].title
    body = client.get("/projects/suggest/", {"q": title.lower()}).json()
    assert body["results"][0]["title"] == title and body["results"][0]["url"].startswith("/")
    assert client.get("/projects/suggest/", {"q": "a"}).json()["results"] == []
