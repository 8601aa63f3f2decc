"""The contract as a client sees it: a typed client generated from the served schema with
openapi-python-client runs the README's API session against a live server.

A field the schema leaves optional or types wrongly shows up here as an `Unset`, a wrong type
or a parse error, which is what a client author would meet.
"""

import importlib
import json
import subprocess
import sys
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest

from accounts.factories import DEFAULT_PASSWORD, AuthorFactory, UserFactory
from showcase.factories import CategoryFactory
from tests.api.conftest import png_bytes

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "proctique_client"


@pytest.fixture
def generated_client(live_server, tmp_path, monkeypatch):
    """Generate the client from the schema the live server serves, and import it."""
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as response:  # noqa: S310 (our own live server)
        schema = json.load(response)
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    # No formatter hooks: the generated code is imported, not committed.
    (tmp_path / "config.json").write_text(json.dumps({"post_hooks": []}))
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--meta",
            "none",
            "--config",
            str(tmp_path / "config.json"),
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Every schema piece became code: the generator names what it had to skip.
    assert "Warning" not in result.stdout, result.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    return importlib.import_module(PACKAGE)


def _module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.mark.django_db(transaction=True)
def test_readme_session_through_the_generated_client(
    generated_client, live_server, site_pages, huey_immediate
):
    client_mod = generated_client
    models = _module("models")
    types = _module("types")
    token_create = _module("api.auth.auth_token_create")
    token_verify = _module("api.auth.auth_token_verify_create")
    me = _module("api.auth.auth_me_retrieve")
    project_create = _module("api.projects.projects_create")
    project_patch = _module("api.projects.projects_partial_update")
    project_get = _module("api.projects.projects_retrieve")
    project_list = _module("api.projects.projects_list")
    image_create = _module("api.images.images_create")
    review_create = _module("api.reviews.projects_reviews_create")
    review_list = _module("api.reviews.projects_reviews_list")
    helpful = _module("api.reviews.reviews_helpful_create")

    alice = AuthorFactory(email="alice@proctique.test")
    uma = UserFactory(email="uma@proctique.test")
    category = CategoryFactory(slug="hardware", name="Hardware")
    anonymous = client_mod.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    def sign_in(user):
        pair = token_create.sync(
            client=anonymous,
            body=models.TokenObtainRequest(email=user.email, password=DEFAULT_PASSWORD),
        )
        assert isinstance(pair, models.TokenPair), pair
        assert isinstance(pair.access, str) and isinstance(pair.refresh, str)
        return client_mod.AuthenticatedClient(
            base_url=live_server.url, token=pair.access, raise_on_unexpected_status=True
        ), pair.access

    as_alice, alice_token = sign_in(alice)
    verified = token_verify.sync(client=anonymous, body=models.TokenCheckRequest(token=alice_token))
    assert isinstance(verified, models.TokenValid), verified
    profile = me.sync(client=as_alice)
    assert isinstance(profile, models.User) and profile.email == "alice@proctique.test"
    assert profile.profile_url.startswith("http")

    draft = project_create.sync(
        client=as_alice,
        body=models.ProjectWriteRequest(title="Tide clock", tagline="Tells the tide"),
    )
    assert isinstance(draft, models.ProjectDetail), draft
    assert draft.status == models.ProjectStatusEnum.DRAFT
    assert draft.review_count == 0 and isinstance(draft.rating_average, float)

    cover = image_create.sync(
        client=as_alice,
        body=models.ImageUploadRequest(
            file=types.File(
                payload=BytesIO(png_bytes((640, 480))), file_name="cover.png", mime_type="image/png"
            )
        ),
    )
    assert isinstance(cover, models.UploadedImage), cover
    assert cover.url.startswith("http")  # absolute, from SITE_URL

    live = project_patch.sync(
        str(draft.id),
        client=as_alice,
        body=models.PatchedProjectWriteRequest(
            cover_image=cover.id,
            category=category.slug,
            description=[
                models.DescriptionBlockRequest(type_="paragraph", value="<p>It tells the tide.</p>")
            ],
            publish=True,
        ),
    )
    assert isinstance(live, models.ProjectDetail), live
    assert live.status == models.ProjectStatusEnum.LIVE
    assert live.url.startswith("http")
    assert live.category is not None and live.category.slug == "hardware"

    listed = project_list.sync(
        client=anonymous, category="hardware", sort=models.ProjectsListSort.NEWEST
    )
    assert isinstance(listed, models.PaginatedProjectListList), listed
    assert listed.count == 1 and listed.previous is None and listed.next_ is None
    assert [p.title for p in listed.results] == ["Tide clock"]

    as_uma, _ = sign_in(uma)
    review = review_create.sync(
        draft.id,
        client=as_uma,
        body=models.ReviewWriteRequest(
            rating=5, title="Lovely", body="Clear instructions, worked first time."
        ),
    )
    assert isinstance(review, models.Review), review
    assert review.status == models.ReviewStatusEnum.VISIBLE
    assert review.edited is False and review.helpful_count == 0

    # Who you are decides a vote on your own project's review: 403, the documented meaning.
    own = helpful.sync_detailed(str(review.id), client=as_alice)
    assert own.status_code == 403 and isinstance(own.parsed, models.ApiError)
    as_vic, _ = sign_in(UserFactory(email="vic@proctique.test"))
    vote = helpful.sync(str(review.id), client=as_vic)
    assert isinstance(vote, models.Helpful), vote
    assert vote.helpful is True and vote.helpful_count == 1

    reviews = review_list.sync(draft.id, client=anonymous)
    assert isinstance(reviews, models.PaginatedReviewList)
    assert [(r.title, r.helpful_count) for r in reviews.results] == [("Lovely", 1)]

    detail = project_get.sync(str(draft.id), client=anonymous)
    assert isinstance(detail, models.ProjectDetail)
    assert detail.review_count == 1 and detail.rating_average == 5.0

    # An error comes back typed too: a second review of the same project is a 400.
    again = review_create.sync(
        draft.id,
        client=as_uma,
        body=models.ReviewWriteRequest(rating=1, title="Again", body="A second go at it."),
    )
    assert isinstance(again, models.ApiError) and again.message
