"""Suite-wide fixtures: real services only. A missing service fails the run; it never skips."""

import pytest

from django.conf import settings
from django.core.cache import caches

from proctique import versions
from proctique.api import pagination
from tasks import delivery
from tests.services import *  # noqa: F403  (fixtures for S3, SMTP, Chromium, the Huey consumer)


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            f"The suite runs on PostgreSQL only, not {engine}; see tests/settings.py"
        )
    if not settings.REDIS_URL:
        raise pytest.UsageError(
            "The suite needs REDIS_URL (Redis on loopback); see tests/settings.py"
        )


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and fragment caches live in Redis: every test starts with an empty cache."""
    for alias in settings.CACHES:
        caches[alias].clear()
    # Versions restart with each test's rolled-back database: forget what they named, which
    # lists an earlier test found large and which emails it sent (so no test's queries or
    # deliveries depend on the tests that ran before it in the same process).
    versions._memos.clear()
    pagination._large_counts.clear()
    delivery.recently_sent.clear()
    yield


@pytest.fixture
def huey_immediate():
    """Run Huey tasks in-process for unit tests (queue behaviour is tested with a real consumer)."""
    from huey.contrib.djhuey import HUEY

    previous = HUEY.immediate
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate = previous


@pytest.fixture
def site_pages(db):
    """The home page (site root) and the projects index, as seed_demo makes them."""
    from showcase.demo import ensure_site

    home, index = ensure_site()
    return home, index


@pytest.fixture
def project_index(site_pages):
    return site_pages[1]


@pytest.fixture
def user(db):
    from accounts.factories import UserFactory

    return UserFactory()


@pytest.fixture
def author(db):
    from accounts.factories import AuthorFactory

    return AuthorFactory()


@pytest.fixture
def other_author(db):
    from accounts.factories import AuthorFactory

    return AuthorFactory()


@pytest.fixture
def admin(db):
    from accounts.factories import AdminFactory

    return AdminFactory()


@pytest.fixture
def project(project_index, author):
    """A published project owned by `author`."""
    from showcase.factories import ProjectPageFactory

    return ProjectPageFactory(owner=author)


@pytest.fixture
def reindex():
    """Bring the search index up to date now.

    Wagtail enqueues index updates on commit; tests that run inside a transaction never commit.
    """
    from wagtail.search import index

    from showcase.models import ProjectPage

    def run():
        for page in ProjectPage.objects.all():
            index.insert_or_update_object(page)

    return run
