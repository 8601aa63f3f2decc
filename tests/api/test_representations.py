"""The written-out representations give exactly what DRF's loop over the declared fields gives.

The project list, its detail, a review, a reply, a person and a category build their JSON
directly (DRF's loop was a fifth of an API list's time); their declared fields stay the schema
and the contract.
These tests hold the two equal, so a field added to one and not the other fails here.
"""

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from accounts.factories import UserFactory
from reviews import services as reviews
from reviews.api.serializers import ReplySerializer, ReviewSerializer
from reviews.api.views import review_queryset
from showcase.api.serializers import (
    CategoryBriefSerializer,
    PersonSerializer,
    ProjectDetailSerializer,
    ProjectListSerializer,
)
from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectPage
from tests.api.conftest import make_image

pytestmark = pytest.mark.django_db


def _same(serializer, instance) -> dict:
    """The written-out representation, once its JSON (types included: 0.0 is not "0.00") is
    DRF's own, each readable field in turn."""
    written = serializer.to_representation(instance)
    generic = serializers.Serializer.to_representation(serializer, instance)
    assert JSONRenderer().render(written) == JSONRenderer().render(generic)
    return written


@pytest.fixture
def projects(project_index, author):
    """A complete live project, a live one with draft changes and no category, and a draft."""
    category = CategoryFactory(slug="tools", name="Tools")
    complete = ProjectPageFactory(owner=author, category=category, tagline="Fast & <small>")
    complete.cover_image = make_image(author, title="cover")
    complete.tags.add("zeta", "alpha")
    complete.repository_url = "https://example.com/repo"
    complete.demo_url = "https://example.com/demo"
    complete.website_url = "https://example.com/"
    complete.save_revision(user=author).publish(user=author)
    changed = ProjectPageFactory(owner=author, category=None)
    changed.tagline = "Edited, not yet published"
    changed.save_revision(user=author)
    draft = ProjectPageFactory(owner=author, live=False)
    return [complete.pk, changed.pk, draft.pk]


@pytest.mark.parametrize(
    ("serializer_class", "rendition_set"),
    [(ProjectListSerializer, "api_list"), (ProjectDetailSerializer, "api_detail")],
)
def test_project_representation_matches_the_declared_fields(
    projects, serializer_class, rendition_set
):
    request = APIRequestFactory().get("/api/projects/")
    pages = list(
        ProjectPage.objects.filter(pk__in=projects).for_listing(rendition_set).order_by("pk")
    )
    assert [page.pk for page in pages] == projects
    for page in pages:
        serializer = serializer_class(context={"request": request})
        written = _same(serializer, page)
        assert list(written) == list(serializer.fields)  # the same keys, in the same order
    complete = serializer_class(pages[0], context={"request": request}).data
    assert [tag["name"] for tag in complete["tags"]] == ["alpha", "zeta"]
    assert complete["category"] == {"id": pages[0].category_id, "name": "Tools", "slug": "tools"}
    assert complete["status"] == "live"
    assert serializer_class(pages[2], context={"request": request}).data["url"] is None


def test_a_revision_in_memory_lists_its_own_tags(projects, author):
    page = ProjectPage.objects.get(pk=projects[0])
    page.tags.add("beta")
    revision = page.save_revision(user=author).as_object()
    serializer = ProjectDetailSerializer()
    written = _same(serializer, revision)
    assert [tag["name"] for tag in written["tags"]] == ["alpha", "beta", "zeta"]


@pytest.mark.parametrize("display_name", ["", "Ada L."])
def test_person_and_category_match_their_declared_fields(display_name):
    person = UserFactory(username="ada", display_name=display_name)
    serializer = PersonSerializer()
    assert _same(serializer, person)["display_name"] == (display_name or "ada")
    category = CategoryFactory(slug="games", name="Games")
    assert _same(CategoryBriefSerializer(), category)["slug"] == "games"


def test_review_and_reply_match_their_declared_fields(project, author):
    readers = UserFactory.create_batch(2)
    answered, plain = (
        reviews.review_submit(
            author=reader,
            project=project,
            rating=n + 3,
            title=f"Title {n}",
            body=f"Useful body number {n}.",
        )
        for n, reader in enumerate(readers)
    )
    reviews.reply_set(review=answered, actor=author, body="Thanks, fixed in 1.2.")
    reviews.helpful_mark(review=answered, user=readers[1])
    found = {review.pk: review for review in review_queryset().filter(project=project)}
    serializer = ReviewSerializer()
    written = _same(serializer, found[answered.pk])
    assert (written["helpful_count"], written["reply"]["body"]) == (1, "Thanks, fixed in 1.2.")
    assert _same(ReplySerializer(), found[answered.pk].reply)["author"]["username"] == (
        author.username
    )
    assert _same(serializer, found[plain.pk])["reply"] is None
