"""SEO and sharing: titles, descriptions, Open Graph / Twitter tags, canonical URLs, sitemap,
feeds and robots.txt. Unpublished projects appear in none of them."""

import xml.etree.ElementTree as ET

import pytest

from wagtail.images import get_image_model

from showcase.factories import ProjectPageFactory
from tests.showcase.images import image_bytes, upload

pytestmark = pytest.mark.django_db


def parse_xml(content: bytes):
    return ET.fromstring(content)  # noqa: S314 (our own response, not untrusted input)


@pytest.fixture
def projects(project_index, author, other_author):
    image = get_image_model()(title="Share me", file=upload("og.png", image_bytes((1600, 900))))
    image.save()
    live = ProjectPageFactory(
        owner=author,
        title="Visible project",
        slug="visible",
        tagline="Seen by everyone",
        cover_image=image,
    )
    draft = ProjectPageFactory(owner=author, title="Draft project", slug="draft", live=False)
    gone = ProjectPageFactory(owner=other_author, title="Withdrawn project", slug="withdrawn")
    gone.unpublish()
    return live, draft, gone


def test_project_page_meta(client, projects):
    live, _, _ = projects
    html = client.get(live.url).content.decode()
    assert "<title>Visible project · Proctique</title>" in html
    assert '<meta name="description" content="Seen by everyone">' in html
    assert '<link rel="canonical" href="http://testserver/projects/visible/">' in html
    assert '<meta property="og:title" content="Visible project">' in html
    assert '<meta property="og:url" content="http://testserver/projects/visible/">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html
    assert "fill-1200x630.format-jpeg" in html
    assert '<meta property="og:image:width" content="1200">' in html


def test_seo_fields_override(client, projects):
    live, _, _ = projects
    live.seo_title = "A better title"
    live.search_description = "Written for search engines"
    live.save_revision().publish()
    html = client.get(live.url).content.decode()
    assert "<title>A better title · Proctique</title>" in html
    assert '<meta name="description" content="Written for search engines">' in html
    assert '<meta property="og:description" content="Written for search engines">' in html


def test_user_text_in_meta_is_escaped(client, project_index, author):
    page = ProjectPageFactory(owner=author, title='Evil "><script>x</script>', slug="evil")
    html = client.get(page.url).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_unpublished_projects_are_not_served_listed_or_found(client, projects, reindex):
    _, draft, gone = projects
    assert client.get("/projects/draft/").status_code == 404
    assert client.get("/projects/withdrawn/").status_code == 404
    reindex()
    for url in ("/projects/", "/projects/?q=project", "/projects/?q=withdrawn", "/"):
        html = client.get(url).content.decode()
        assert "Draft project" not in html
        assert "Withdrawn project" not in html


def test_sitemap_lists_published_pages_only(client, projects):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {el.text for el in parse_xml(response.content).findall("s:url/s:loc", ns)}
    assert "http://testserver/projects/visible/" in locs
    assert "http://testserver/projects/" in locs
    assert "http://testserver/" in locs
    assert not any("draft" in loc or "withdrawn" in loc for loc in locs)


def test_rss_feed_of_new_projects(client, projects, project_index, author):
    newer = ProjectPageFactory(owner=author, title="Newest project", slug="newest")
    response = client.get("/projects/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse_xml(response.content)
    items = root.findall("channel/item")
    titles = [item.findtext("title") for item in items]
    assert titles == [newer.title, "Visible project"]
    assert items[0].findtext("link") == "http://testserver/projects/newest/"
    assert b"Draft project" not in response.content
    assert b"Withdrawn project" not in response.content


def test_atom_feed(client, projects):
    response = client.get("/projects/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse_xml(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Visible project"
    ]


def test_feeds_are_advertised_on_the_index(client, projects):
    html = client.get("/projects/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/projects/feed/"' in html
    assert '<link rel="canonical" href="http://testserver/projects/">' in html


def test_index_canonical_keeps_filters(client, projects):
    html = client.get("/projects/?q=visible&utm_source=x").content.decode()
    assert 'rel="canonical"' in html


def test_robots_txt(client, site_pages):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
