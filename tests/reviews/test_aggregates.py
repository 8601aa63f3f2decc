import random
from decimal import Decimal

import pytest

from django.core.management import call_command

from accounts.factories import UserFactory
from reviews import aggregates, services
from reviews.factories import ReviewFactory
from reviews.models import Review
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage

pytestmark = pytest.mark.django_db


def assert_stored_equals_recomputation(*, fresh_prior: bool = False):
    """Average and count are always exact; scores use the prior the writers used (the cached
    site-wide mean) until the periodic refresh re-derives them from a fresh mean."""
    mean = None if fresh_prior else aggregates.prior_mean()
    for project in ProjectPage.objects.all():
        average, count, score = aggregates.expected(project.pk, mean=mean)
        assert (project.rating_average, project.review_count) == (average, count), project
        assert project.rating_sum == aggregates.visible_stats(project.pk)[1], project
        assert project.rating_score == pytest.approx(score), project


def _body(rng):
    return " ".join(
        rng.choice(["great", "solid", "meh", "docs", "fast", "buggy"]) for _ in range(6)
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_keep_aggregates_exact(project_index, moderator, seed, settings):
    settings.REVIEWS_POSTS_PER_HOUR = 1000
    rng = random.Random(seed)
    projects = [ProjectPageFactory() for _ in range(3)]
    users = [UserFactory() for _ in range(8)]
    for step in range(60):
        reviews = list(Review.objects.all())
        op = rng.choice(["submit", "submit", "update", "delete", "hide", "restore"])
        try:
            if op == "submit" or not reviews:
                services.review_submit(
                    author=rng.choice(users),
                    project=rng.choice(projects),
                    rating=rng.randint(1, 5),
                    title=f"Step {step}",
                    body=f"{_body(rng)} {step}",
                )
            else:
                review = rng.choice(reviews)
                if op == "update":
                    services.review_update(
                        review=review,
                        actor=review.author,
                        rating=rng.randint(1, 5),
                        title=f"Edited {step}",
                        body=f"{_body(rng)} edited {step}",
                    )
                elif op == "delete":
                    services.review_delete(
                        review=review, actor=rng.choice([review.author, moderator])
                    )
                elif op == "hide":
                    services.review_hide(review=review, actor=moderator)
                else:
                    services.review_restore(review=review, actor=moderator)
        except Exception as exc:  # rule rejections (duplicate review) are part of the sequence
            assert type(exc).__name__ == "ValidationError"
        assert_stored_equals_recomputation()
    assert Review.objects.exists()
    aggregates.refresh_scores()  # what the periodic refresh_rating_scores task runs
    assert_stored_equals_recomputation(fresh_prior=True)


def test_bayesian_score_ranks_volume_over_a_few_perfect_scores(project_index):
    few = ProjectPageFactory()
    many = ProjectPageFactory()
    for _ in range(3):
        ReviewFactory(project=few, rating=5)
    average = ProjectPageFactory()
    rows = [(many, 5)] * 60 + [(many, 4)] * 40  # 4.6 over 100 reviews
    rows += [(average, 3)] * 150  # a site-wide mean of about 3.7
    users = UserFactory.create_batch(250)
    Review.objects.bulk_create(
        [
            Review(project=p, author=u, rating=r, title="t", body="body text here")
            for (p, r), u in zip(rows, users, strict=True)
        ]
    )
    aggregates.recompute_all()
    few.refresh_from_db()
    many.refresh_from_db()
    assert few.rating_average == Decimal("5.00") and many.rating_average == Decimal("4.60")
    assert many.rating_score > few.rating_score


def test_recompute_ratings_command_repairs_values(project_index, capsys):
    project = ProjectPageFactory()
    ReviewFactory(project=project, rating=3)
    ReviewFactory(project=project, rating=4)
    ReviewFactory(project=project, rating=5, status="hidden")
    ProjectPage.objects.filter(pk=project.pk).update(
        rating_average=1, review_count=99, rating_score=9
    )
    call_command("recompute_ratings")
    project.refresh_from_db()
    assert project.rating_average == Decimal("3.50") and project.review_count == 2
    assert "Recomputed" in capsys.readouterr().out
    assert_stored_equals_recomputation()


def test_recompute_does_not_create_a_page_revision(project, make_review):
    revisions = project.revisions.count()
    make_review(rating=4)
    assert project.revisions.count() == revisions


def test_publishing_an_old_revision_does_not_restore_stale_ratings(
    project, make_review, django_capture_on_commit_callbacks
):
    revision = project.save_revision(user=project.owner)  # holds review_count=0
    make_review(rating=5)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish(user=project.owner, skip_permission_checks=True)
    project.refresh_from_db()
    assert project.review_count == 1
