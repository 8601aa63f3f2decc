"""Helpers for the outbox tests."""

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from tasks.models import EmailEvent


@pytest.fixture
def queue():
    """This run's Huey queue in Redis, emptied before and after the test."""
    HUEY.flush()
    yield HUEY
    HUEY.flush()


@pytest.fixture
def dead_redis(monkeypatch):
    """Make every enqueue in this process go to a Redis port where nothing listens."""
    dead = RedisStorage(name=HUEY.name, url="redis://127.0.0.1:1/0")
    monkeypatch.setattr(HUEY, "storage", dead)
    return dead


@pytest.fixture
def review(project):
    """A visible review of `project` (owned by `author`) by another user.

    The project's own "published" email is marked sent: a delivery takes other due events
    along, and these tests count the review emails only.
    """
    from reviews.factories import ReviewFactory

    EmailEvent.objects.filter(kind="project_published").update(status=EmailEvent.Status.SENT)
    return ReviewFactory(project=project, rating=4, title="Solid work", body="Great docs. " * 40)
