"""/api/docs/: Swagger UI from our own static files, started by a script of its own (no CDN,
no inline script), listing the API's operations."""

import re
from html.parser import HTMLParser

import pytest


class _Assets(HTMLParser):
    """The script and stylesheet addresses of a page, and the bodies of inline scripts."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._in_script = "src" not in attrs
            if "src" in attrs:
                self.urls.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts.append(data)


@pytest.mark.django_db
def test_docs_page_loads_its_assets_from_this_site_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assets = _Assets()
    assets.feed(response.content.decode())
    assert assets.inline_scripts == []
    assert assets.urls, "the docs page links no scripts or styles"
    for url in assets.urls:
        assert url.startswith("/"), f"{url} is not served by this site"
    assert any(re.search(r"/static/.*swagger-ui-bundle\.js$", url) for url in assets.urls)
    assert any(re.search(r"/static/.*swagger-ui\.css$", url) for url in assets.urls)


@pytest.mark.django_db
def test_docs_start_up_script_is_a_separate_request_naming_the_schema(client):
    page = client.get("/api/docs/")
    assets = _Assets()
    assets.feed(page.content.decode())
    (script_url,) = [url for url in assets.urls if "script" in url.partition("?")[2]]
    script = client.get(script_url)
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()
    assert '"/api/schema/"' in script.content.decode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_docs_show_the_operations_under_a_strict_script_policy(page, foreign_requests):
    # The site's Content-Security-Policy allows scripts from 'self' only; the docs must work
    # under it whatever else the response says, so the browser test adds it to the page.
    def with_policy(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    page.route(re.compile(r"/api/docs/$"), with_policy)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)

    page.goto("/api/docs/", wait_until="networkidle")

    page.get_by_text("Proctique API", exact=False).first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/projects/").first.is_visible()
    assert page.locator(".opblock").count() > 20
    assert blocked == []
    assert foreign_requests == []
