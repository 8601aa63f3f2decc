import pytest

from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from reviews import aggregates, services
from reviews.models import HelpfulVote, Report, Review, ReviewReply

pytestmark = pytest.mark.django_db

GOOD = {"rating": "4", "title": "Worth it", "body": "Clear docs and a friendly community."}


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer)
    return client


def submit_url(project):
    return reverse("reviews:submit", args=[project.pk])


def test_post_redirect_get_and_review_on_page(signed_in, project, reviewer):
    response = signed_in.post(submit_url(project), GOOD)
    review = Review.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"{project.url}#review-{review.pk}")
    page = signed_in.get(project.url).content.decode()
    assert "Worth it" in page and "Thank you: your review is published." in page
    assert "4.0" in page and "1 review" in page
    assert "Write a review" not in page and "Edit your review" in page


def test_form_shown_to_signed_in_user_not_to_owner(client, project, reviewer):
    client.force_login(reviewer)
    assert 'id="id_title"' in client.get(project.url).content.decode()
    client.force_login(project.owner)
    html = client.get(project.url).content.decode()
    assert 'id="id_title"' not in html and "This is your project" in html


def test_invalid_review_rerenders_page_with_inline_errors(signed_in, project):
    response = signed_in.post(submit_url(project), {**GOOD, "body": "short", "title": "<script>x"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write at least 10 characters." in html  # the model's message, as in the API
    assert "&lt;script&gt;x" in html and "<script>x" not in html
    assert not Review.objects.exists()


def test_service_rule_errors_shown_inline(signed_in, project, reviewer):
    services.review_submit(author=reviewer, project=project, **{**GOOD, "rating": 4})
    response = signed_in.post(submit_url(project), {**GOOD, "body": "Some other fresh text."})
    assert response.status_code == 400
    assert "You have already reviewed this project." in response.content.decode()


def test_owner_posting_is_forbidden(client, project):
    client.force_login(project.owner)
    assert client.post(submit_url(project), GOOD).status_code == 403


def test_visitor_is_sent_to_login(client, project):
    response = client.post(submit_url(project), GOOD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Review.objects.exists()


def test_csrf_is_enforced(project, reviewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.post(submit_url(project), GOOD).status_code == 403


def test_get_on_submit_not_allowed(signed_in, project):
    assert signed_in.get(submit_url(project)).status_code == 405


def test_draft_project_is_404(signed_in, project_index):
    from showcase.factories import ProjectPageFactory

    draft = ProjectPageFactory(live=False)
    assert signed_in.post(submit_url(draft), GOOD).status_code == 404


def test_edit_own_review(signed_in, project, reviewer):
    review = services.review_submit(author=reviewer, project=project, **{**GOOD, "rating": 2})
    url = reverse("reviews:edit", args=[review.pk])
    assert "Clear docs" in signed_in.get(url).content.decode()
    response = signed_in.post(url, {**GOOD, "rating": "5", "title": "Even better"})
    assert response.status_code == 302
    review.refresh_from_db()
    project.refresh_from_db()
    assert review.rating == 5 and review.edited and float(project.rating_average) == 5.0
    assert "edited" in signed_in.get(project.url).content.decode()
    bad = signed_in.post(url, {**GOOD, "title": ""})
    assert bad.status_code == 400 and "Give your review a title." in bad.content.decode()


def test_cannot_edit_or_delete_others_review_by_url(client, project, reviewer):
    review = services.review_submit(author=reviewer, project=project, **GOOD)
    client.force_login(UserFactory())
    for name in ("edit", "delete"):
        url = reverse(f"reviews:{name}", args=[review.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, GOOD).status_code == 403
    assert Review.objects.filter(pk=review.pk, title="Worth it").exists()


def test_delete_own_review(signed_in, project, reviewer):
    review = services.review_submit(author=reviewer, project=project, **GOOD)
    url = reverse("reviews:delete", args=[review.pk])
    assert signed_in.get(url).status_code == 200
    assert signed_in.post(url).status_code == 302
    project.refresh_from_db()
    assert not Review.objects.exists() and project.review_count == 0


def test_report_review_and_project(client, project, reviewer):
    review = services.review_submit(author=reviewer, project=project, **GOOD)
    client.force_login(UserFactory())
    url = reverse("reviews:report", args=[review.pk])
    assert client.get(url).status_code == 200
    missing_note = client.post(url, {"reason": "other"})
    assert (
        missing_note.status_code == 400
        and "Tell us what is wrong." in missing_note.content.decode()
    )
    assert client.post(url, {"reason": "spam"}).status_code == 302
    again = client.post(url, {"reason": "abuse"})
    assert again.status_code == 400 and "already reported" in again.content.decode()
    project_url = reverse("reviews:report_project", args=[project.pk])
    assert client.post(project_url, {"reason": "off_topic"}).status_code == 302
    assert Report.objects.filter(status="open").count() == 2


def test_report_requires_sign_in(client, project):
    url = reverse("reviews:report_project", args=[project.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert not Report.objects.exists()


def test_helpful_toggle(client, project, reviewer):
    review = services.review_submit(author=reviewer, project=project, **GOOD)
    voter = UserFactory()
    client.force_login(voter)
    url = reverse("reviews:helpful", args=[review.pk])
    client.post(url, {"action": "mark"})
    client.post(url, {"action": "mark"})
    assert HelpfulVote.objects.filter(review=review, user=voter).count() == 1
    assert "1 found this helpful" in client.get(project.url).content.decode()
    client.post(url, {"action": "unmark"})
    assert not HelpfulVote.objects.exists()
    client.force_login(reviewer)
    client.post(url, {"action": "mark"})
    assert not HelpfulVote.objects.exists()


def test_sort_by_most_helpful(client, project, reviewer):
    older = services.review_submit(
        author=reviewer, project=project, **{**GOOD, "title": "Older one"}
    )
    newer = services.review_submit(
        author=UserFactory(),
        project=project,
        **{**GOOD, "title": "Newer one", "body": "A different body."},
    )
    services.helpful_mark(review=older, user=UserFactory())
    newest_first = client.get(project.url).content.decode()
    assert newest_first.index("Newer one") < newest_first.index("Older one")
    helpful_first = client.get(project.url, {"reviews_sort": "helpful"}).content.decode()
    assert helpful_first.index("Older one") < helpful_first.index("Newer one")
    assert newer.pk


def test_pagination_with_reviews_page(client, project, reviewer):
    users = UserFactory.create_batch(12)
    Review.objects.bulk_create(
        [
            Review(
                project=project, author=u, rating=3, title=f"Review {i:02}", body="body body body"
            )
            for i, u in enumerate(users)
        ]
    )
    aggregates.recompute(project)
    first = client.get(project.url).content.decode()
    second = client.get(project.url, {"reviews_page": 2}).content.decode()
    assert "Page 1 of 2" in first and "reviews_page=2" in first
    assert "Page 2 of 2" in second


def test_owner_reply_flow(client, project, reviewer):
    review = services.review_submit(author=reviewer, project=project, **GOOD)
    url = reverse("reviews:reply", args=[review.pk])
    client.force_login(reviewer)
    assert client.post(url, {"body": "Hijack"}).status_code == 403
    client.force_login(project.owner)
    assert client.post(url, {"body": "Thanks <3"}).status_code == 302
    html = client.get(project.url).content.decode()
    assert "Owner’s reply" in html and "Thanks &lt;3" in html
    client.post(url, {"body": "Thanks again"})
    assert ReviewReply.objects.get().body == "Thanks again"
    client.post(reverse("reviews:reply_delete", args=[review.pk]))
    assert not ReviewReply.objects.exists()


def test_hidden_review_disappears_from_page(client, project, reviewer, moderator):
    review = services.review_submit(author=reviewer, project=project, **GOOD)
    services.review_hide(review=review, actor=moderator)
    html = client.get(project.url).content.decode()
    assert "Worth it" not in html and "No reviews yet." in html
    client.force_login(reviewer)
    assert "a moderator has hidden your review" in client.get(project.url).content.decode()


def _with_500_reviews(project, reviewer):
    from django.contrib.auth import get_user_model

    get_user_model().objects.bulk_create(UserFactory.build_batch(500))
    users = list(get_user_model().objects.exclude(pk__in=[reviewer.pk, project.owner_id]))[:500]
    Review.objects.bulk_create(
        [
            Review(
                project=project, author=u, rating=1 + i % 5, title=f"R{i}", body="body body body"
            )
            for i, u in enumerate(users)
        ]
    )
    aggregates.recompute(project)
    for review in Review.objects.all()[:5]:
        HelpfulVote.objects.create(review=review, user=reviewer)
        ReviewReply.objects.create(review=review, author=project.owner, body="Thanks")


@pytest.mark.parametrize("signed_in", [True, False])
def test_reviews_section_with_500_reviews_costs_one_query(
    rf, project, reviewer, signed_in, django_assert_num_queries
):
    _with_500_reviews(project, reviewer)
    request = rf.get(project.url, {"reviews_sort": "helpful"})
    request.user = reviewer if signed_in else AnonymousUser()
    project.get_url(request)  # Wagtail's routing has already found the site for this request
    template = Template("{% load reviews_tags %}{% project_reviews page %}")
    with django_assert_num_queries(1):
        html = template.render(RequestContext(request, {"page": project}))
    assert "500 reviews" in html and html.count("<article") == 10


def test_page_with_500_reviews_stays_within_query_budget(
    client, project, reviewer, django_assert_max_num_queries
):
    _with_500_reviews(project, reviewer)
    client.force_login(reviewer)
    client.get(project.url)  # warm Wagtail's site-root cache
    # 12 for the page and its reviews; signed in: 2 for the upvote and collections block, 1 each
    # for the header's unread count and the Follow button's state.
    with django_assert_max_num_queries(16):
        response = client.get(project.url, {"reviews_sort": "helpful"})
    assert response.status_code == 200 and "500 reviews" in response.content.decode()
    client.logout()
    with django_assert_max_num_queries(12):
        assert client.get(project.url).status_code == 200
