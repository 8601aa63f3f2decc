"""One place to act on a report: the admin's report view shows its target in full, its
decisions close it, hiding a review by any route closes its open reports, and the people
involved are emailed (the reporter the outcome, the review's author when it is hidden)."""

import re

import pytest

from django.core import mail
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.roles import ensure_role_groups
from reviews import services
from reviews.models import Report, Review
from tasks.models import EmailEvent
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _roles(site_pages):
    ensure_role_groups()


def url(name, *args, model="report"):
    return reverse(f"wagtailsnippets_reviews_{model}:{name}", args=args)


@pytest.fixture
def review(make_review):
    return make_review(
        title="Rude & loud", body="This <script>alert(1)</script> project is junk, says me."
    )


@pytest.fixture
def reporters():
    return [UserFactory(), UserFactory()]


@pytest.fixture
def reports(review, reporters):
    return [
        services.report_create(reporter=reporter, target=review, reason="abuse")
        for reporter in reporters
    ]


def test_the_report_view_shows_the_target_in_full_with_links_and_decisions(
    client, moderator, review, reports, project
):
    client.force_login(moderator)
    html = client.get(url("inspect", reports[0].pk)).content.decode()
    assert "Project: None" not in html and "None" not in html.split('id="report-heading"')[1]
    # The project, linked to its public page and its editor.
    assert f'<a href="{project.url}">{project.title}</a>' in html
    assert reverse("wagtailadmin_pages:edit", args=[project.pk]) in html
    # The review in full (escaped), with its author linked to their profile.
    assert "Rude &amp; loud" in html
    assert "This &lt;script&gt;alert(1)&lt;/script&gt; project is junk" in html
    assert "<script>alert(1)" not in html
    assert f'<a href="{review.author.get_absolute_url()}">{review.author}</a>' in html
    assert url("edit", review.pk, model="review") in html
    # The decisions, as buttons that post to the actions.
    assert f'action="{url("resolve", reports[0].pk)}"' in html
    assert f'action="{url("dismiss", reports[0].pk)}"' in html
    assert "Hide review and resolve" in html
    assert "Other open reports on this review" in html


def test_a_project_report_shows_the_project_and_unpublishes_on_resolve(client, moderator, project):
    report = services.report_create(
        reporter=UserFactory(), target=project, reason="other", note="An ad for a casino."
    )
    client.force_login(moderator)
    html = client.get(url("inspect", report.pk)).content.decode()
    assert f'<a href="{project.url}">{project.title}</a>' in html
    assert "An ad for a casino." in html
    assert "Unpublish project and resolve" in html
    response = client.post(url("resolve", report.pk))
    assert response.status_code == 302
    report.refresh_from_db()
    project.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and not project.live


def test_hide_from_the_report_view_closes_every_open_report_and_tells_everyone(
    client, moderator, review, reports, reporters, huey_immediate,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(moderator)
    # Emails about the setup (published project, new review) are out of the way.
    EmailEvent.objects.update(status=EmailEvent.Status.SENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("resolve", reports[0].pk))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.HIDDEN
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.RESOLVED}
    # A closed report offers no decisions any more.
    html = client.get(url("inspect", reports[0].pk)).content.decode()
    assert f'action="{url("resolve", reports[0].pk)}"' not in html
    assert f'data-testid="report-status">Resolved by {moderator}' in html

    sent = {(m.to[0].split("<")[-1].rstrip(">"), m.subject) for m in mail.outbox}
    assert sent == {
        (reporters[0].email, "We acted on your report"),
        (reporters[1].email, "We acted on your report"),
        (review.author.email, f"Your review of {review.project.title} was hidden"),
    }
    outcomes = EmailEvent.objects.filter(kind="report_outcome")
    assert sorted(outcomes.values_list("recipient_id", flat=True)) == sorted(
        r.pk for r in reporters
    )
    assert EmailEvent.objects.filter(kind="review_hidden", recipient=review.author).count() == 1
    for message in mail.outbox:
        assert message.alternatives and "Proctique" in message.alternatives[0][0]


def test_dismiss_closes_the_report_and_tells_the_reporter_only(
    client, moderator, review, reports, reporters, huey_immediate,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(moderator)
    # Emails about the setup (published project, new review) are out of the way.
    EmailEvent.objects.update(status=EmailEvent.Status.SENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("dismiss", reports[0].pk))
    reports[0].refresh_from_db()
    review.refresh_from_db()
    assert reports[0].status == Report.Status.DISMISSED and review.is_visible
    assert Report.objects.get(pk=reports[1].pk).status == Report.Status.OPEN
    recipients = [m.to[0].split("<")[-1].rstrip(">") for m in mail.outbox]
    assert recipients == [reporters[0].email]
    assert mail.outbox[0].subject == "We looked at your report"
    assert not EmailEvent.objects.filter(kind="review_hidden").exists()


def _hide_in_review_editor(client, review):
    data = {"rating": review.rating, "title": review.title, "body": review.body}
    return client.post(url("edit", review.pk, model="review"), {**data, "status": "hidden"})


def _hide_by_bulk_action(client, review):
    bulk = reverse("wagtail_bulk_action", args=["reviews", "review", "hide"])
    return client.post(f"{bulk}?id={review.pk}&next=/admin/")


def _resolve_in_report_view(client, review):
    return client.post(url("resolve", Report.objects.filter(review=review).first().pk))


ADMIN_ROUTES = {
    "review editor": _hide_in_review_editor,
    "bulk hide": _hide_by_bulk_action,
    "report view": _resolve_in_report_view,
}


@pytest.mark.parametrize("route", ADMIN_ROUTES)
@pytest.mark.parametrize("role", ["moderator", "project owner", "reporter"])
def test_hiding_by_any_admin_route_closes_the_open_reports(
    client, route, role, review, reports, moderator, author, reporters
):
    actor = {"moderator": moderator, "project owner": author, "reporter": reporters[0]}[role]
    client.force_login(actor)
    ADMIN_ROUTES[route](client, review)
    review.refresh_from_db()
    statuses = set(Report.objects.filter(review=review).values_list("status", flat=True))
    if role == "moderator":
        assert review.status == Review.Status.HIDDEN
        assert statuses == {Report.Status.RESOLVED}
    else:
        assert review.status == Review.Status.VISIBLE
        assert statuses == {Report.Status.OPEN}


API_ROUTES = {
    "review hide": lambda review: reverse("api-review-hide", args=[review.pk]),
    "report resolve": lambda review: reverse(
        "api-report-resolve", args=[Report.objects.filter(review=review).first().pk]
    ),
}


@pytest.mark.parametrize("route", API_ROUTES)
@pytest.mark.parametrize(
    ("role", "expected"), [("moderator", 200), ("project owner", 403), ("reporter", 403)]
)
def test_hiding_through_the_api_closes_the_open_reports(
    route, role, expected, review, reports, moderator, author, reporters
):
    actor = {"moderator": moderator, "project owner": author, "reporter": reporters[0]}[role]
    response = client_for(actor).post(API_ROUTES[route](review))
    assert response.status_code == expected
    statuses = set(Report.objects.filter(review=review).values_list("status", flat=True))
    assert statuses == ({Report.Status.RESOLVED} if expected == 200 else {Report.Status.OPEN})


def test_the_reported_column_says_how_many_reports_are_open(client, moderator, make_review):
    reported = make_review(title="Reported twice")
    make_review(title="Never reported")
    for _ in range(2):
        services.report_create(reporter=UserFactory(), target=reported, reason="spam")
    client.force_login(moderator)
    html = client.get(url("list", model="review")).content.decode()
    table = re.search(r"<table[^>]*listing.*?</table>", html, re.S).group(0)
    rows = [row.split("</tr>")[0] for row in table.split("<tr")[1:]]
    [twice] = [row for row in rows if "Reported twice" in row]
    [never] = [row for row in rows if "Never reported" in row]
    assert "2 open reports" in twice and "No open reports" in never
    assert "icon-success" not in table  # no green tick standing for "reported"
