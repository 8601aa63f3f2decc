"""Stored XSS through rich text: whatever route sets a description, only the editor's features
are stored, and the public page, the REST API and the headless API show nothing executable."""

import pytest

from showcase.factories import CategoryFactory, ProjectPageFactory
from showcase.models import ProjectPage
from tests.security.conftest import client_for, complete_fields

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<p>ok</p><script>alert(1)</script><img src=x onerror=alert(2)>"
    '<a href="javascript:alert(3)">c</a><p onclick="alert(4)">p <b>bold</b></p>'
    '<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>'
)
EXECUTABLE = ("<script", "onerror", "javascript:", "onclick", "<iframe", "<style", "<img")


def assert_inert(text: str) -> None:
    lowered = text.lower()
    for marker in EXECUTABLE:
        assert marker not in lowered, f"{marker!r} survived in {text[:300]!r}"


def stored_paragraphs(page) -> list[str]:
    return [b["value"] for b in page.description.raw_data if b["type"] == "paragraph"]


def test_api_create_and_patch_store_only_the_editor_features(author, client):
    api = client_for(author)
    fields = complete_fields(author, CategoryFactory())
    fields["description"] = [{"type": "paragraph", "value": HOSTILE}]
    created = api.post("/api/projects/", {**fields, "publish": True}, format="json")
    assert created.status_code == 201, created.json()
    page = ProjectPage.objects.get(pk=created.json()["id"])
    [paragraph] = stored_paragraphs(page)
    assert_inert(paragraph)
    # What the features allow survives: paragraphs, bold, links (without a javascript: URL).
    assert "<p>ok</p>" in paragraph and "<b>bold</b>" in paragraph and ">c</a>" in paragraph

    patched = api.patch(
        f"/api/projects/{page.pk}/",
        {"description": [{"type": "paragraph", "value": HOSTILE}], "publish": True},
        format="json",
    )
    assert patched.status_code == 200, patched.json()
    page.refresh_from_db()
    assert_inert(stored_paragraphs(page)[0])
    assert_inert(str(page.get_latest_revision().content["description"]))


def test_every_reader_shows_the_cleaned_text(author, client):
    api = client_for(author)
    fields = complete_fields(author, CategoryFactory())
    fields["description"] = [{"type": "paragraph", "value": HOSTILE}]
    page_id = api.post("/api/projects/", {**fields, "publish": True}, format="json").json()["id"]
    page = ProjectPage.objects.get(pk=page_id)

    public = client.get(page.url).content.decode()
    assert "<p>ok</p>" in public
    description = public.split('class="project__description')[1].split("</div>")[0]
    assert_inert(description)
    assert_inert(str(client.get(f"/api/projects/{page_id}/").json()["description"]))
    assert_inert(str(client.get(f"/api/v2/pages/{page_id}/").json()["description"]))


def test_code_set_from_any_route_is_cleaned_on_save(author):
    """Not only the API: any code that saves a description stores the cleaned form."""
    page = ProjectPageFactory(owner=author)
    page.description = [{"type": "paragraph", "value": HOSTILE}]
    page.save_revision(user=author).publish(user=author)
    page.refresh_from_db()
    assert_inert(stored_paragraphs(page)[0])


def test_page_links_to_drafts_do_not_reveal_their_slug(author, other_author, client):
    secret = ProjectPageFactory(owner=other_author, slug="secret-plan", live=False)
    page = ProjectPageFactory(owner=author)
    link = f'<p>see <a linktype="page" id="{secret.pk}">this</a></p>'
    page.description = [{"type": "paragraph", "value": link}]
    page.save_revision(user=author).publish(user=author)
    html = client.get(page.url).content.decode()
    assert "see <a>this</a>" in html
    assert "secret-plan" not in html
    secret.save_revision(user=other_author).publish(user=other_author)
    assert "/projects/secret-plan/" in client.get(page.url).content.decode()


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_public_pages_and_the_admin_send_a_content_security_policy(client, project, admin):
    public = directives(client.get(project.url)["Content-Security-Policy"])
    assert public["script-src"] == ["'self'"]
    assert public["object-src"] == ["'none'"] and public["connect-src"] == ["'self'"]
    client.force_login(admin)
    # Wagtail's admin renders inline scripts; data still cannot leave for another host.
    admin_csp = directives(client.get("/admin/")["Content-Security-Policy"])
    assert admin_csp["connect-src"] == ["'self'"] and admin_csp["img-src"][0] == "'self'"


def test_a_data_migration_cleans_rows_stored_before(author):
    import importlib

    from django.apps import apps

    page = ProjectPageFactory(owner=author)
    raw = [{"type": "paragraph", "value": HOSTILE, "id": "legacy"}]
    ProjectPage.objects.filter(pk=page.pk).update(description=raw)
    migration = importlib.import_module("showcase.migrations.0004_clean_stored_rich_text")
    migration.clean(apps, None)
    page.refresh_from_db()
    assert_inert(stored_paragraphs(page)[0])
    assert "<p>ok</p>" in stored_paragraphs(page)[0]
