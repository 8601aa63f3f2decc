"""Collections: a user's named lists of projects, private or public (shareable URL); the owner
alone changes one, a private one is a 404 to everyone else, on the web and in the API."""

import pytest

from accounts.factories import UserFactory
from community import services
from community.models import Collection, CollectionItem
from showcase.factories import ProjectPageFactory
from tests.community.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture
def stranger(db):
    return UserFactory()


@pytest.fixture
def public(owner, project):
    collection = services.collection_create(owner=owner, title="Tools I use", is_public=True)
    services.collection_add(collection=collection, actor=owner, project=project, note="Daily")
    return collection


@pytest.fixture
def private(owner, project):
    collection = services.collection_create(owner=owner, title="Maybe later")
    services.collection_add(collection=collection, actor=owner, project=project)
    return collection


def who(request, role):
    """The caller for a role: nobody, the collection's owner, or another signed-in user."""
    fixture = {"visitor": None, "owner": "owner", "user": "stranger"}[role]
    return request.getfixturevalue(fixture) if fixture else None


# Route x role: reading a collection.
READ = {
    ("public", "visitor"): 200,
    ("public", "user"): 200,
    ("public", "owner"): 200,
    ("private", "visitor"): 404,
    ("private", "user"): 404,
    ("private", "owner"): 200,
}


@pytest.mark.parametrize(("kind", "role"), list(READ))
def test_reading_by_role_on_the_web_and_in_the_api(request, client, project, kind, role):
    collection = request.getfixturevalue(kind)
    person = who(request, role)
    if person:
        client.force_login(person)
    web = client.get(f"/collections/{collection.pk}/")
    api = client_for(person).get(f"/api/collections/{collection.pk}/")
    assert web.status_code == api.status_code == READ[(kind, role)]
    if web.status_code == 200:
        assert project.title in web.content.decode()
        assert [i["project"]["id"] for i in api.json()["items"]] == [project.pk]
    listed = [c["id"] for c in client_for(person).get("/api/collections/").json()["results"]]
    assert (collection.pk in listed) is (READ[(kind, role)] == 200)


# Route x role: changing a collection (rename, add, remove, delete).
WRITE = {
    ("public", "visitor"): (302, 401),
    ("public", "user"): (403, 403),
    ("public", "owner"): (302, 200),
    ("private", "visitor"): (302, 401),
    ("private", "user"): (404, 404),
    ("private", "owner"): (302, 200),
}


@pytest.mark.parametrize(("kind", "role"), list(WRITE))
def test_renaming_by_role_on_the_web_and_in_the_api(request, client, kind, role):
    collection = request.getfixturevalue(kind)
    person = who(request, role)
    if person:
        client.force_login(person)
    web_expected, api_expected = WRITE[(kind, role)]
    web = client.post(
        f"/collections/{collection.pk}/edit/", {"title": "Renamed on the web", "is_public": "on"}
    )
    assert web.status_code == web_expected
    if role == "visitor":
        assert web["Location"].startswith("/accounts/login/")
    api = client_for(person).patch(
        f"/api/collections/{collection.pk}/", {"title": "Renamed by the API"}, format="json"
    )
    assert api.status_code == api_expected
    title = Collection.objects.get(pk=collection.pk).title
    assert title == ("Renamed by the API" if role == "owner" else collection.title)


@pytest.mark.parametrize(("kind", "role"), list(WRITE))
def test_adding_and_removing_by_role(request, client, project_index, author, kind, role):
    collection = request.getfixturevalue(kind)
    person = who(request, role)
    extra = ProjectPageFactory(owner=author)
    if person:
        client.force_login(person)
    web_expected, api_expected = WRITE[(kind, role)]
    api = client_for(person).post(
        f"/api/collections/{collection.pk}/items/", {"project": extra.pk}, format="json"
    )
    assert api.status_code == (201 if api_expected == 200 else api_expected)
    removed = client.post(f"/collections/{collection.pk}/remove/{extra.pk}/")
    assert removed.status_code == web_expected
    deleted = client_for(person).delete(f"/api/collections/{collection.pk}/")
    assert deleted.status_code == (204 if api_expected == 200 else api_expected)
    still_there = Collection.objects.filter(pk=collection.pk).exists()
    assert still_there is (role != "owner")
    if still_there:
        assert not collection.items.filter(project=extra).exists()


def test_the_owner_builds_a_collection_through_the_api(owner, project, project_index, author):
    api = client_for(owner)
    created = api.post(
        "/api/collections/", {"title": "Favourites", "is_public": True}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["url"].endswith(f"/collections/{body['id']}/")
    assert body["owner"]["username"] == owner.username and body["items"] == []
    second = ProjectPageFactory(owner=author)
    for p in (second, project):
        added = api.post(
            f"/api/collections/{body['id']}/items/", {"project": p.pk, "note": "Yes"}, format="json"
        )
        assert added.status_code == 201
    items = added.json()["items"]
    assert [i["project"]["id"] for i in items] == [second.pk, project.pk]  # in order added
    assert added.json()["item_count"] == 2
    again = api.post(f"/api/collections/{body['id']}/items/", {"project": p.pk}, format="json")
    assert again.status_code == 400
    assert again.json()["errors"]["project"] == ["This project is already in the collection."]
    gone = api.delete(f"/api/collections/{body['id']}/items/{second.pk}/")
    assert gone.status_code == 204
    assert api.delete(f"/api/collections/{body['id']}/items/{second.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "Nul\x00byte"}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"title": "Maybe later"}, "title"),  # the owner's other collection's title
        ({"title": 42}, "title"),
        ({"title": "Fine", "is_public": "yes"}, "is_public"),
    ],
)
def test_bad_collection_input_is_a_400_with_field_messages(owner, private, payload, field):
    response = client_for(owner).post("/api/collections/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("project_ref", ["draft", "missing", "text"])
def test_only_published_projects_can_be_added(owner, private, draft, project_ref):
    value = {"draft": draft.pk, "missing": 10**9, "text": "abc"}[project_ref]
    response = client_for(owner).post(
        f"/api/collections/{private.pk}/items/", {"project": value}, format="json"
    )
    assert response.status_code == 400
    assert "project" in response.json()["errors"]


def test_a_project_no_longer_published_leaves_public_views(client, public, project, author):
    project.unpublish(user=author)
    page = client.get(f"/collections/{public.pk}/")
    assert project.title not in page.content.decode()
    assert client_for(None).get(f"/api/collections/{public.pk}/").json()["items"] == []
    assert CollectionItem.objects.filter(collection=public).exists()  # back when republished


def test_my_collections_page_creates_and_lists(client, owner, private):
    assert client.get("/collections/")["Location"].startswith("/accounts/login/")
    client.force_login(owner)
    page = client.get("/collections/").content.decode()
    assert "Maybe later" in page and "private" in page
    refused = client.post("/collections/", {"title": "Maybe later"})
    assert refused.status_code == 400
    assert "You already have a collection with this title." in refused.content.decode()
    blank = client.post("/collections/", {"title": "  "})
    assert blank.status_code == 400
    made = client.post("/collections/", {"title": "Reading list", "is_public": "on"})
    collection = Collection.objects.get(title="Reading list")
    assert made["Location"] == f"/collections/{collection.pk}/"
    assert collection.is_public and collection.owner == owner


def test_save_to_collection_from_the_project_page(client, owner, project, private):
    client.force_login(owner)
    page = client.get(project.url).content.decode()
    assert "Save to collection" in page and 'for="id_save_collection"' in page
    saved = client.post(
        f"/collections/save/{project.pk}/", {"new_title": "Shiny new list", "note": "try it"}
    )
    assert saved["Location"] == f"{project.url}#collections"
    fresh = Collection.objects.get(title="Shiny new list")
    assert list(fresh.items.values_list("project_id", "note")) == [(project.pk, "try it")]
    again = client.post(f"/collections/save/{project.pk}/", {"collection": private.pk}, follow=True)
    assert "This project is already in the collection." in again.content.decode()
    nothing = client.post(f"/collections/save/{project.pk}/", {}, follow=True)
    assert "Choose a collection or name a new one." in nothing.content.decode()


def test_one_cannot_save_into_someone_elses_collection(client, stranger, project, private):
    client.force_login(stranger)
    client.post(f"/collections/save/{project.pk}/", {"collection": private.pk})
    assert private.items.count() == 1  # only the owner's own item
    assert not Collection.objects.filter(owner=stranger).exists()


def test_visitors_see_no_save_control(client, project):
    page = client.get(project.url).content.decode()
    assert "Save to collection" not in page and "Sign in to upvote" in page


def test_collection_listings_within_a_query_budget(
    client, owner, project_index, author, django_assert_max_num_queries
):
    collection = services.collection_create(owner=owner, title="Big", is_public=True)
    for _ in range(30):
        services.collection_add(
            collection=collection, actor=owner, project=ProjectPageFactory(owner=author)
        )
    client.get(f"/collections/{collection.pk}/?warm=1")
    with django_assert_max_num_queries(8):
        page = client.get(f"/collections/{collection.pk}/")
    assert page.content.decode().count('class="card project-card"') == 30
    api = client_for(None)
    with django_assert_max_num_queries(8):
        body = api.get(f"/api/collections/{collection.pk}/").json()
    assert len(body["items"]) == 30
    with django_assert_max_num_queries(6):
        listed = api.get("/api/collections/").json()
    assert listed["results"][0]["item_count"] == 30


@pytest.mark.parametrize("owner_param", ["nul\x00", "x" * 151])
def test_a_bad_owner_filter_is_a_400(owner_param):
    response = client_for(None).get("/api/collections/", {"owner": owner_param})
    assert response.status_code == 400
    assert "owner" in response.json()["errors"]


def test_the_owner_filter_lists_one_persons_public_collections(owner, stranger, public, private):
    services.collection_create(owner=stranger, title="Theirs", is_public=True)
    listed = client_for(None).get("/api/collections/", {"owner": owner.username}).json()
    assert [c["id"] for c in listed["results"]] == [public.pk]
