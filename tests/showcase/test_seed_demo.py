"""seed_demo: ~30 projects across 6 categories, Pillow covers, owned by the demo authors."""

import pytest

from django.core.management import call_command

from wagtail.images import get_image_model
from wagtail.models import Page

from showcase.models import Category, ProjectPage

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_projects_once(client):
    call_command("seed_demo", verbosity=0)
    projects = ProjectPage.objects.live()
    assert projects.count() == 30
    assert Category.objects.count() == 6
    assert set(projects.values_list("category__slug", flat=True)) == set(
        Category.objects.values_list("slug", flat=True)
    )
    assert set(projects.values_list("owner__username", flat=True)) == {"alice", "bob"}
    assert not projects.filter(cover_image__isnull=True).exists()
    image = projects.first().cover_image
    assert (image.width, image.height) == (1600, 900)
    counts = (Page.objects.count(), get_image_model().objects.count(), Category.objects.count())

    call_command("seed_demo", verbosity=0)
    assert (
        Page.objects.count(),
        get_image_model().objects.count(),
        Category.objects.count(),
    ) == counts

    response = client.get("/projects/")
    assert response.context["page_obj"].paginator.count == 30
