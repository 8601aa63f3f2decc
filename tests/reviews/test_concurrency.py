"""Concurrent review writes on one project serialise on the project row lock."""

import threading

import pytest

from django.db import connection

from accounts.factories import UserFactory
from reviews import aggregates, services
from showcase.factories import ProjectPageFactory


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
def test_frontend_cache_purged_after_commit(
    project, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    purged = []
    monkeypatch.setattr(
        "wagtail.contrib.frontend_cache.utils.purge_page_from_cache",
        lambda page, **kw: purged.append(page.pk),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.review_submit(
            author=reviewer, project=project, rating=5, title="Hi", body="Purge me after commit."
        )
    assert purged == []
    for callback in callbacks:
        callback()
    assert purged == [project.pk]
