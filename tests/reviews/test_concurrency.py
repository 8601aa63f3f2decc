"""Concurrent review writes on one project serialise on the project row lock."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from django.db import connection

from accounts.factories import UserFactory
from reviews import aggregates, services
from showcase.factories import ProjectPageFactory
from tests.services import free_port


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_leave_exact_aggregates(site_pages, settings):
    settings.REVIEWS_POSTS_PER_HOUR = 100
    project = ProjectPageFactory()
    other = ProjectPageFactory()
    users = UserFactory.create_batch(8)
    errors = []
    start = threading.Barrier(len(users))

    def post(index, user):
        try:
            start.wait()
            services.review_submit(
                author=user,
                project=project if index % 2 else other,
                rating=1 + index % 5,
                title=f"Concurrent {index}",
                body=f"Posted at the same time as the others, number {index}.",
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, u)) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for page in (project, other):
        page.refresh_from_db()
        average, count, score = aggregates.expected(page.pk, mean=aggregates.prior_mean())
        assert (page.rating_average, page.review_count) == (average, count) and count == 4
        assert page.rating_score == pytest.approx(score)


@pytest.mark.django_db
class _PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in for the CDN's purge endpoint (the outside world we cannot run here)."""

    purged: list[str] = []

    def do_PURGE(self):  # noqa: N802 (http.server's naming)
        self.purged.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _PurgeRecorder.purged = []
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield _PurgeRecorder.purged
    server.shutdown()


def test_frontend_cache_purged_after_commit(
    project, reviewer, cdn, huey_immediate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.review_submit(
            author=reviewer, project=project, rating=5, title="Hi", body="Purge me after commit."
        )
    assert cdn == []
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert project.url in cdn
