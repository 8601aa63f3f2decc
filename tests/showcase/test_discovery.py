"""Discovery at /projects/: search, filters, sorting, pagination, empty states."""

import pytest

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import FeaturedProject, ProjectPage

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [p.title for p in response.context["projects"]]


def test_index_lists_published_projects_only(client, project_index, author):
    live = ProjectPageFactory(owner=author, title="Live one")
    ProjectPageFactory(owner=author, title="Secret draft", live=False)
    response = client.get("/projects/")
    assert response.status_code == 200
    assert titles(response) == [live.title]
    assert b"Secret draft" not in response.content


def test_search_matches_title_tagline_description_and_tags(client, project_index, author, reindex):
    a = ProjectPageFactory(owner=author, title="Aurora", tagline="Northern lights tracker")
    b = ProjectPageFactory(owner=author, title="Basalt", tagline="A rock collection")
    b.description = [("paragraph", "<p>Written with quantumfoam inside.</p>")]
    b.save_revision().publish()
    c = ProjectPageFactory(owner=author, title="Cedar", tagline="Trees")
    c.tags.add("zigzag")
    c.save_revision().publish()
    ProjectPageFactory(owner=author, title="Aurora draft", live=False)
    reindex()

    assert titles(client.get("/projects/", {"q": "Aurora"})) == [a.title]
    assert titles(client.get("/projects/", {"q": "northern lights"})) == [a.title]
    assert titles(client.get("/projects/", {"q": "quantumfoam"})) == [b.title]
    assert titles(client.get("/projects/", {"q": "zigzag"})) == [c.title]


def test_filters_by_category_and_tag_and_shareable_urls(client, project_index, author, reindex):
    web = CategoryFactory(name="Web", slug="web")
    games = CategoryFactory(name="Games", slug="games")
    p1 = ProjectPageFactory(owner=author, title="Web thing", category=web)
    p1.tags.add("python")
    p1.save_revision().publish()
    p2 = ProjectPageFactory(owner=author, title="Game thing", category=games)
    p2.tags.add("python")
    p2.save_revision().publish()
    ProjectPageFactory(owner=author, title="Other web", category=web)
    reindex()

    assert sorted(titles(client.get("/projects/?category=web"))) == ["Other web", "Web thing"]
    assert sorted(titles(client.get("/projects/?tag=python"))) == ["Game thing", "Web thing"]
    response = client.get("/projects/?category=web&tag=python")
    assert titles(response) == ["Web thing"]
    # The form reflects the URL, so the URL alone reproduces the view.
    content = response.content.decode()
    assert '<option value="web" selected>' in content
    assert 'value="python"' in content
    assert titles(client.get("/projects/?category=games&q=thing")) == ["Game thing"]


def test_sorting(client, project_index, author, reindex):
    old = ProjectPageFactory(owner=author, title="Old")
    mid = ProjectPageFactory(owner=author, title="Mid")
    new = ProjectPageFactory(owner=author, title="New")
    ProjectPage.objects.filter(pk=old.pk).update(rating_score=4.5, review_count=2)
    ProjectPage.objects.filter(pk=mid.pk).update(rating_score=3.0, review_count=9)
    ProjectPage.objects.filter(pk=new.pk).update(rating_score=1.0, review_count=1)

    assert titles(client.get("/projects/")) == ["New", "Mid", "Old"]
    assert titles(client.get("/projects/?sort=newest")) == ["New", "Mid", "Old"]
    assert titles(client.get("/projects/?sort=top")) == ["Old", "Mid", "New"]
    assert titles(client.get("/projects/?sort=reviews")) == ["Mid", "Old", "New"]
    # Sorting applies to search results too.
    for p in (old, mid, new):
        p.tagline = "shared words here"
        p.save_revision().publish()
    reindex()
    assert titles(client.get("/projects/?sort=top&q=shared")) == ["Old", "Mid", "New"]
    assert titles(client.get("/projects/?sort=reviews&q=shared")) == ["Mid", "Old", "New"]
    # Unknown sort keys fall back to the default rather than erroring.
    assert titles(client.get("/projects/?sort=bogus")) == ["New", "Mid", "Old"]


def test_pagination_keeps_filters(client, project_index, author):
    category = CategoryFactory(slug="many")
    for n in range(30):
        ProjectPageFactory(owner=author, title=f"P{n:02}", category=category)
    first = client.get("/projects/?category=many")
    assert len(first.context["projects"]) == 24
    assert first.context["page_obj"].paginator.count == 30
    assert "category=many&amp;page=2" in first.content.decode()
    second = client.get("/projects/?category=many&page=2")
    assert len(second.context["projects"]) == 6
    # Out-of-range and junk page numbers land on a real page.
    assert client.get("/projects/?page=99").context["page_obj"].number == 2
    assert client.get("/projects/?page=abc").context["page_obj"].number == 1


def test_empty_states(client, project_index, author, reindex):
    response = client.get("/projects/")
    assert b"No projects yet" in response.content
    ProjectPageFactory(owner=author, title="Something")
    reindex()
    response = client.get("/projects/?q=nothingmatchesthis")
    assert response.status_code == 200
    assert b"No projects match" in response.content


def test_card_shows_title_tagline_category_stars_and_count(client, project_index, author):
    category = CategoryFactory(name="Tooling", slug="tooling")
    project = ProjectPageFactory(
        owner=author, title="Carded", tagline="Tag line", category=category
    )
    ProjectPage.objects.filter(pk=project.pk).update(rating_average=4, review_count=7)
    content = client.get("/projects/").content.decode()
    assert "Carded" in content
    assert "Tag line" in content
    assert "Tooling" in content
    assert "Rated 4.0 out of 5, 7 reviews" in content
    assert f'href="{project.url}"' in content


def test_home_page_sections(client, site_pages, author):
    home, _ = site_pages
    category = CategoryFactory(name="Robots", slug="robots")
    featured = ProjectPageFactory(owner=author, title="Featured one", category=category)
    top = ProjectPageFactory(owner=author, title="Top one", category=category)
    ProjectPage.objects.filter(pk=top.pk).update(rating_score=4.9, review_count=3)
    ProjectPageFactory(owner=author, title="Hidden draft", live=False)
    FeaturedProject.objects.create(home=home, project=featured, sort_order=0)
    response = client.get("/")
    assert response.status_code == 200
    ctx = response.context
    assert [p.title for p in ctx["featured"]] == ["Featured one"]
    assert [p.title for p in ctx["top_rated"]][0] == "Top one"
    assert {p.title for p in ctx["newest"]} == {"Featured one", "Top one"}
    assert [(c.name, c.project_count) for c in ctx["categories"]] == [("Robots", 2)]
    assert b"Hidden draft" not in response.content
