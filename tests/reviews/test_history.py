"""The author's review history reads the same whether it rides on the project read (the API's
review POST) or is read alone (every other route)."""

from datetime import timedelta

import pytest

from django.utils import timezone

from accounts.factories import UserFactory
from reviews import history
from reviews.factories import ReviewFactory
from reviews.models import Review
from showcase.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db


def _both(author, project):
    loaded = history.project_for_review(project.pk, author)
    assert getattr(loaded, history.KNOWN)[0] == author.pk
    return getattr(loaded, history.KNOWN)[1], history.of(author, project)


def test_a_new_author_has_no_history(project):
    newcomer = UserFactory()
    with_project, alone = _both(newcomer, project)
    assert with_project == alone == (False, 0, None)


def test_the_history_says_reviewed_recent_and_last_text(project, user):
    elsewhere = ProjectPageFactory()
    old = ReviewFactory(project=ProjectPageFactory(), author=user, body="Long ago")
    Review.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=3))
    ReviewFactory(project=elsewhere, author=user, body="Just now, elsewhere")
    ReviewFactory(project=ProjectPageFactory(), author=UserFactory(), body="Someone else's")
    with_project, alone = _both(user, project)
    assert with_project == alone == (False, 1, "Just now, elsewhere")
    with_project, alone = _both(user, elsewhere)
    assert with_project == alone == (True, 1, "Just now, elsewhere")


def test_history_loaded_for_one_caller_is_not_used_for_another(project, user):
    other = UserFactory()
    ReviewFactory(project=project, author=other, body="Theirs")
    loaded = history.project_for_review(project.pk, user)
    assert history.of(user, loaded) == (False, 0, None)
    assert history.of(other, loaded) == (True, 1, "Theirs")  # read afresh for them
