"""Moderation rights are Django permissions: what a group holds in the admin's group editor is
what its members may do, on every route."""

import pytest

from django.contrib.auth.models import Group, Permission

from accounts.factories import AuthorFactory, ModeratorFactory
from reviews.factories import ReviewFactory
from reviews.models import Review
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


def hide(user, review):
    return client_for(user).post(f"/api/reviews/{review.pk}/hide/")


def test_taking_change_review_from_moderators_takes_hiding_away(project):
    review = ReviewFactory(project=project)
    moderator = ModeratorFactory()
    Group.objects.get(name="Moderators").permissions.remove(
        Permission.objects.get(codename="change_review")
    )
    assert hide(moderator, review).status_code == 403
    assert Review.objects.get(pk=review.pk).is_visible


def test_giving_it_to_authors_lets_authors_hide(project, client):
    review = ReviewFactory(project=project)
    author = AuthorFactory()
    Group.objects.get(name="Authors").permissions.add(
        Permission.objects.get(codename="change_review")
    )
    assert hide(author, review).status_code == 200
    assert not Review.objects.get(pk=review.pk).is_visible
    # And the admin's review listing now shows every review, not only their own projects'.
    client.force_login(author)
    assert review.title in client.get("/admin/snippets/reviews/review/").content.decode()
