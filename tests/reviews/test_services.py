import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.factories import UserFactory
from reviews import services
from reviews.models import HelpfulVote, Report, Review, ReviewReply
from showcase.factories import ProjectPageFactory
from tasks.models import EmailEvent

pytestmark = pytest.mark.django_db


def submit(author, project, **overrides):
    data = {"rating": 4, "title": "Nice", "body": "A genuinely useful project."}
    data.update(overrides)
    return services.review_submit(author=author, project=project, **data)


def test_submit_creates_visible_review_updates_aggregates_and_emits(project, reviewer):
    review = submit(reviewer, project, rating=5)
    project.refresh_from_db()
    assert review.is_visible and review.author == reviewer
    assert project.review_count == 1 and float(project.rating_average) == 5.0
    assert project.rating_score == pytest.approx(5.0)
    event = EmailEvent.objects.get(kind="new_review")
    assert event.recipient_id == project.owner_id
    assert event.refs == {"review_id": review.pk, "project_id": project.pk}


def test_one_review_per_user_per_project(project, reviewer):
    submit(reviewer, project)
    with pytest.raises(ValidationError) as exc:
        submit(reviewer, project, body="Another different text here.")
    assert "__all__" in exc.value.message_dict


def test_integrity_error_becomes_validation_error(project, reviewer, monkeypatch):
    submit(reviewer, project)
    # The pre-check misses a concurrent insert: the database constraint still holds.
    monkeypatch.setattr(Review.objects, "filter", lambda **kw: Review.objects.none())
    with pytest.raises(ValidationError):
        submit(reviewer, project, body="Racing with myself here.")
    assert Review.objects.count() == 1


def test_no_review_on_own_project(project):
    with pytest.raises(PermissionDenied):
        submit(project.owner, project)


def test_only_live_projects(project_index, reviewer):
    draft = ProjectPageFactory(live=False)
    with pytest.raises(ValidationError) as exc:
        submit(reviewer, draft)
    assert "project" in exc.value.message_dict


def test_anonymous_cannot_submit(project):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        submit(AnonymousUser(), project)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rating", 0),
        ("rating", 6),
        ("rating", "x"),
        ("title", "   "),
        ("title", "t" * (Review.TITLE_MAX + 1)),
        ("body", "too short"),
        ("body", "b" * (Review.BODY_MAX + 1)),
    ],
)
def test_field_limits(project, reviewer, field, value):
    with pytest.raises(ValidationError) as exc:
        submit(reviewer, project, **{field: value})
    assert field in exc.value.message_dict
    assert not Review.objects.exists()


def test_identical_body_to_previous_review_rejected(project, project_index, reviewer):
    other = ProjectPageFactory()
    submit(reviewer, project, body="Copy and paste is not a review.")
    with pytest.raises(ValidationError) as exc:
        submit(reviewer, other, body="  copy and PASTE is not   a review. ")
    assert "body" in exc.value.message_dict


def test_rate_limit_per_user(project_index, reviewer, settings):
    settings.REVIEWS_POSTS_PER_HOUR = 3
    projects = [ProjectPageFactory() for _ in range(4)]
    for n, project in enumerate(projects[:3]):
        submit(reviewer, project, body=f"Review number {n} of a series.")
    with pytest.raises(ValidationError) as exc:
        submit(reviewer, projects[3], body="One review too many for now.")
    assert "too many" in str(exc.value)
    # Another user is not limited by the first one's posts.
    submit(UserFactory(), projects[3])


def test_update_marks_edited_and_recomputes(project, reviewer):
    review = submit(reviewer, project, rating=2)
    services.review_update(
        review=review, actor=reviewer, rating=4, title="Better", body="Changed my mind."
    )
    review.refresh_from_db()
    project.refresh_from_db()
    assert review.edited and review.rating == 4
    assert float(project.rating_average) == 4.0


def test_update_and_delete_need_author_or_moderator(project, reviewer, moderator):
    review = submit(reviewer, project)
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.review_update(
            review=review, actor=stranger, rating=1, title="x", body="Hijacked review."
        )
    with pytest.raises(PermissionDenied):
        services.review_delete(review=review, actor=stranger)
    with pytest.raises(PermissionDenied):
        services.review_hide(review=review, actor=reviewer)
    services.review_update(
        review=review, actor=moderator, rating=1, title="Edited", body="Moderated text."
    )
    services.review_delete(review=review, actor=moderator)
    project.refresh_from_db()
    assert project.review_count == 0 and project.rating_score == 0


def test_hide_and_restore_keep_row_and_follow_aggregates(project, reviewer, moderator):
    review = submit(reviewer, project, rating=1)
    submit(UserFactory(), project, rating=5)
    services.review_hide(review=review, actor=moderator)
    project.refresh_from_db()
    assert project.review_count == 1 and float(project.rating_average) == 5.0
    assert Review.objects.filter(pk=review.pk, status="hidden").exists()
    assert review not in Review.objects.visible()
    services.review_restore(review=review, actor=moderator)
    project.refresh_from_db()
    assert project.review_count == 2 and float(project.rating_average) == 3.0


def test_report_rules(project, reviewer, moderator):
    review = submit(reviewer, project)
    reporter = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.report_create(reporter=reporter, target=review, reason="other")
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.report_create(reporter=reporter, target=review, reason="nonsense")
    # Who you are is a permission rule: not one's own review or project.
    with pytest.raises(PermissionDenied):
        services.report_create(reporter=reviewer, target=review, reason="spam")
    with pytest.raises(PermissionDenied):
        services.report_create(reporter=project.owner, target=project, reason="spam")
    report = services.report_create(reporter=reporter, target=review, reason="spam")
    assert report.status == "open" and report.target == review
    with pytest.raises(ValidationError):
        services.report_create(reporter=reporter, target=review, reason="abuse")
    services.report_dismiss(report=report, actor=moderator)
    # Once closed, the same user may report the same target again.
    services.report_create(reporter=reporter, target=review, reason="abuse")
    project_report = services.report_create(reporter=reporter, target=project, reason="off_topic")
    assert project_report.project_id == project.pk and project_report.review_id is None


def test_report_target_constraint_in_database(project, reviewer):
    from django.db import IntegrityError, transaction

    review = submit(reviewer, project)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=reviewer, review=review, project=project, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=reviewer, reason="spam")
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(reporter=reviewer, review=review, reason="other", note="")


def test_resolving_review_report_hides_it(project, reviewer, moderator):
    review = submit(reviewer, project)
    first = services.report_create(reporter=UserFactory(), target=review, reason="spam")
    second = services.report_create(reporter=UserFactory(), target=review, reason="abuse")
    with pytest.raises(PermissionDenied):
        services.report_resolve(report=first, actor=reviewer)
    services.report_resolve(report=first, actor=moderator)
    review.refresh_from_db()
    second.refresh_from_db()
    assert review.status == "hidden"
    assert second.status == "resolved" and second.resolved_by == moderator
    with pytest.raises(ValidationError):
        services.report_dismiss(report=first, actor=moderator)


def test_resolving_project_report_unpublishes(project, moderator):
    report = services.report_create(reporter=UserFactory(), target=project, reason="spam")
    services.report_resolve(report=report, actor=moderator)
    project.refresh_from_db()
    assert not project.live


def test_dismiss_leaves_target(project, reviewer, moderator):
    review = submit(reviewer, project)
    report = services.report_create(reporter=UserFactory(), target=review, reason="spam")
    services.report_dismiss(report=report, actor=moderator)
    review.refresh_from_db()
    report.refresh_from_db()
    assert review.is_visible and report.status == "dismissed" and report.resolved_at


def test_owner_reply(project, reviewer, moderator):
    review = submit(reviewer, project)
    with pytest.raises(PermissionDenied):
        services.reply_set(review=review, actor=reviewer, body="Not mine to reply.")
    reply = services.reply_set(review=review, actor=project.owner, body="Thanks!")
    again = services.reply_set(review=review, actor=project.owner, body="Thanks, edited.")
    assert reply.pk == again.pk and ReviewReply.objects.get().body == "Thanks, edited."
    with pytest.raises(ValidationError):
        services.reply_set(review=review, actor=project.owner, body="  ")
    with pytest.raises(PermissionDenied):
        services.reply_delete(review=review, actor=reviewer)
    services.reply_delete(review=review, actor=moderator)
    assert not ReviewReply.objects.exists()


def test_helpful_votes(project, reviewer):
    review = submit(reviewer, project)
    voter = UserFactory()
    assert services.helpful_mark(review=review, user=voter) is True
    assert services.helpful_mark(review=review, user=voter) is False
    assert HelpfulVote.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.helpful_mark(review=review, user=reviewer)
    with pytest.raises(PermissionDenied):  # nor the project's owner, on reviews of it
        services.helpful_mark(review=review, user=project.owner)
    services.helpful_unmark(review=review, user=voter)
    assert not HelpfulVote.objects.exists()


def test_new_review_event_only_after_commit_delivery(
    project, reviewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        submit(reviewer, project)
    assert callbacks  # enqueue + frontend cache purge run after commit, not before


def test_deleting_a_user_recomputes_their_projects(project, reviewer):
    submit(reviewer, project, rating=1)
    submit(UserFactory(), project, rating=5)
    reviewer.delete()
    project.refresh_from_db()
    assert project.review_count == 1 and float(project.rating_average) == 5.0
