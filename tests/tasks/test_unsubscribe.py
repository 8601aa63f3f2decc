"""The signed unsubscribe link: no login, GET confirms, POST switches new-review emails off."""

import pytest

from django.core import signing
from django.urls import reverse

from tasks import delivery
from tasks.outbox import emit
from tasks.unsubscribe import SALT, make_token

pytestmark = pytest.mark.django_db


def _url(token):
    return reverse("tasks:unsubscribe", args=[token])


def test_get_shows_a_confirmation_and_changes_nothing(client, author):
    response = client.get(_url(make_token(author)))
    assert response.status_code == 200
    assert b"Stop these emails" in response.content
    author.refresh_from_db()
    assert author.notify_new_reviews is True


def test_post_switches_new_review_emails_off_without_login(client, author):
    response = client.post(_url(make_token(author)))
    assert response.status_code == 200
    assert b"will no longer get an email" in response.content
    author.refresh_from_db()
    assert author.notify_new_reviews is False
    # Idempotent: a second click (or a mail client's one-click POST) is fine.
    assert client.post(_url(make_token(author))).status_code == 200


def test_one_click_post_from_a_mail_client_needs_no_csrf_token(author):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        _url(make_token(author)), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    author.refresh_from_db()
    assert author.notify_new_reviews is False


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJ1IjoxfQ:1xWJNr:forged-signature-AAAAAAAAAAAAAAAAAAAAAAAAAAA",
        signing.dumps({"u": 1}, salt="another.purpose"),
        signing.dumps({"u": "1"}, salt=SALT),
    ],
    # Fixed ids: the signed tokens hold the time they were made, and pytest-xdist workers
    # must collect the same test names.
    ids=["garbage", "forged-signature", "other-purpose", "wrong-type"],
)
def test_bad_or_tampered_tokens_get_a_400_page(client, author, token):
    response = client.post(_url(token))
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    author.refresh_from_db()
    assert author.notify_new_reviews is True


def test_a_token_for_another_user_cannot_be_edited_into_yours(client, author, user):
    token = make_token(user)
    payload, rest = token.split(":", 1)
    forged = signing.b64_encode(f'{{"u":{author.pk}}}'.encode()).decode() + ":" + rest
    assert client.post(_url(forged)).status_code == 400
    author.refresh_from_db()
    assert author.notify_new_reviews is True


def test_the_link_in_the_email_works_and_stops_the_next_email(client, review, author, smtp_server):
    first = emit("new_review", recipient=author, review_id=review.pk, project_id=review.project_id)
    delivery.deliver(first.pk)
    link = next(
        word
        for word in smtp_server.text_of(smtp_server.messages[0]).split()
        if "/tasks/unsubscribe/" in word
    )
    assert client.post(link.removeprefix("http://testserver")).status_code == 200

    second = emit("new_review", recipient=author, review_id=review.pk, project_id=review.project_id)
    assert delivery.deliver(second.pk)[second.pk].outcome == "skipped"
    assert len(smtp_server.messages) == 1
