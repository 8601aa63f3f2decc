"""Nothing on any page loads from another host: scripts, styles, fonts, images and XHR all
come from the site itself (the visitor's browser talks to no third party)."""

import pytest

from django.core.management import call_command

from showcase.models import ProjectPage
from tests.e2e.support import sign_in

PUBLIC_PAGES = ["/", "/projects/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]


def _visit(page, path: str) -> None:
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{path} answered {response}"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_public_pages_load_nothing_from_another_host(page, foreign_requests):
    call_command("seed_demo", verbosity=0)
    project = ProjectPage.objects.live().filter(cover_image__isnull=False).first()
    assert project is not None, "the demo has no project with a cover image"

    visited = []
    for path in [*PUBLIC_PAGES, project.get_url()]:
        _visit(page, path)
        visited.append(path)

    assert foreign_requests == [], f"while visiting {visited}"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_admin_loads_nothing_from_another_host(page, foreign_requests, live_server, admin):
    call_command("seed_demo", verbosity=0)
    project = ProjectPage.objects.live().first()
    sign_in(page, admin, live_server.url)

    for path in ["/admin/", "/admin/pages/", f"/admin/pages/{project.pk}/edit/"]:
        _visit(page, path)
        assert "/admin/login/" not in page.url, f"{path} asked to sign in"

    assert foreign_requests == []
