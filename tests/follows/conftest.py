"""Helpers for the follows tests."""

from contextlib import contextmanager

import pytest

from reviews.services import review_submit
from showcase.factories import CategoryFactory, ProjectPageFactory


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks, huey_immediate):
    """`with after_commit():` runs what the block queues for after commit, there and then:
    the fan-out task, and the outbox deliveries it queues (Huey in-process)."""

    @contextmanager
    def run():
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return run


@pytest.fixture
def category(db):
    return CategoryFactory(name="Developer tools", slug="developer-tools")


@pytest.fixture
def publish(project_index, author, category):
    """`publish(**fields)`: a new project by `author` in `category`, published now."""

    def make(**fields):
        fields = {"owner": author, "category": category, **fields}
        return ProjectPageFactory(**fields)

    return make


@pytest.fixture
def post_review():
    """`post_review(author, project)`: a review posted the way the site posts one."""

    def post(author, project, title="Solid and useful"):
        return review_submit(
            author=author,
            project=project,
            rating=4,
            title=title,
            body=f"{title}: the documentation answered every question I had.",
        )

    return post
