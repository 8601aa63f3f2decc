"""Fixtures for the foundation tests that drive a browser."""

from urllib.parse import urlsplit

import pytest


@pytest.fixture
def foreign_requests(page, live_server) -> list[str]:
    """Every request the page makes to a host other than the live server's, refused unsent.

    Nothing on any page may load from another host (scripts, styles, fonts, images, XHR): a
    refused request is recorded here as "<resource type> <url>" for the test to assert on.
    """
    own_host = urlsplit(live_server.url).netloc
    refused: list[str] = []

    def route(route):
        request = route.request
        if urlsplit(request.url).netloc == own_host:
            route.continue_()
        else:
            refused.append(f"{request.resource_type} {request.url}")
            route.abort()

    page.context.route("**/*", route)
    return refused
