"""The whole site (gunicorn with two workers, a Huey consumer) while its Redis is stopped or
frozen, then after Redis comes back.

Every public read answers from PostgreSQL, every write succeeds, no request waits long on
Redis, no traceback reaches the server log, and every email created during the outage is
delivered exactly once when Redis returns (counted at the SMTP server).
"""

import time
from collections import Counter

import pytest

from accounts.factories import DEFAULT_PASSWORD, AdminFactory, AuthorFactory, UserFactory
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectPage
from tasks.models import EmailEvent
from tests.faults.browser import Browser, assert_no_traceback, wait_until
from tests.showcase.admin_forms import complete_form_data

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FAULTS = {"stopped": ("stop", "start"), "frozen": ("freeze", "thaw")}


def check_public_reads(browser, project, *, redis_up: bool) -> None:
    for path in ["/", "/projects/", project.url, "/api/projects/", "/api/v2/pages/"]:
        response = browser.get(path)
        assert response.status_code == 200, (path, response.text[:1000])
    sitemap = browser.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert project.slug in sitemap.text
    assert project.title in browser.get("/projects/").text
    ready = browser.get("/readyz")
    if redis_up:
        assert ready.status_code == 200, ready.text
    else:
        assert ready.status_code == 503
        assert {"cache", "queue"} <= set(ready.json()["failing"])
        assert ready.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize("fault", FAULTS)
def test_the_site_serves_and_accepts_writes_while_redis_fails(
    fault, start_site, redis_server, site_pages, _smtp_session
):
    smtp = _smtp_session
    owner = AuthorFactory()
    first, second = ProjectPageFactory(owner=owner), ProjectPageFactory(owner=owner)
    draft = ProjectPageFactory(owner=owner, live=False, title="Drafted during the outage")
    reviewers = UserFactory(), UserFactory()
    forgetful = UserFactory()
    admin = AdminFactory()
    EmailEvent.objects.all().delete()  # setting up sent "is live" emails; not under test
    site = start_site()
    smtp.clear()
    # Unbounded while Redis is up: the first requests of each worker load templates and code.
    unhurried = Browser(site, bound=None)
    for _ in range(3):
        check_public_reads(unhurried, first, redis_up=True)
    visitor = Browser(site)

    break_redis, restore_redis = FAULTS[fault]
    getattr(redis_server, break_redis)()

    # Public reads, anonymous, from PostgreSQL.
    check_public_reads(visitor, first, redis_up=False)

    # A review through the web form, after signing in on the web.
    web = Browser(site)
    web.sign_in(reviewers[0].email)
    posted = web.form(
        f"/reviews/projects/{first.pk}/review/",
        {"rating": "5", "title": "Posted in an outage", "body": "Works without Redis. " * 3},
        page=first.url,
    )
    assert posted.status_code == 302, posted.text[:1000]
    assert web.get(first.url).status_code == 200

    # A review through the API, after signing in through the API.
    api = Browser(site)
    token = api.api("/api/auth/token/", {"email": reviewers[1].email, "password": DEFAULT_PASSWORD})
    assert token.status_code == 200, token.text
    review = api.api(
        f"/api/projects/{second.pk}/reviews/",
        {"rating": 4, "title": "Also in the outage", "body": "The API kept working for me."},
        token=token.json()["access"],
    )
    assert review.status_code == 201, review.text

    # Sign-up and a password-reset request.
    newcomer = Browser(site)
    signed_up = newcomer.form(
        "/accounts/signup/",
        {
            "email": "newcomer@example.test",
            "username": "newcomer",
            "password1": "sturdy-outage-passphrase-7",
            "password2": "sturdy-outage-passphrase-7",
        },
    )
    assert signed_up.status_code == 302, signed_up.text[:1000]
    reset = Browser(site).form("/accounts/password/reset/", {"email": forgetful.email})
    assert reset.status_code == 302, reset.text[:1000]

    # An admin publishes a draft in the Wagtail admin.
    editor = Browser(site)
    editor.sign_in(admin.email)
    published = editor.form(
        f"/admin/pages/{draft.pk}/edit/",
        complete_form_data(owner, draft, **{"action-publish": "action-publish"}),
    )
    assert published.status_code == 302, published.text[:2000]
    assert ProjectPage.objects.get(pk=draft.pk).live

    # The outage changed what the public sees at once: the new project is listed.
    assert draft.title in visitor.get("/projects/").text

    created = EmailEvent.objects.count()
    # Two new reviews, the newcomer's address confirmation, one password reset, one "is live".
    assert created == 5
    getattr(redis_server, restore_redis)()

    expected = {
        (owner.email, f"New 5-star review of {first.title}"),
        (owner.email, f"New 4-star review of {second.title}"),
        (forgetful.email, "Reset your Proctique password"),
        ("newcomer@example.test", "Welcome to Proctique: confirm your email address"),
        (owner.email, f"{draft.title} is live on Proctique"),
    }

    def outbox_messages() -> Counter:
        return Counter(
            (address, str(m["Subject"]))
            for m in list(smtp.messages)
            for address in [owner.email, forgetful.email, "newcomer@example.test"]
            if address in str(m["To"])
        )

    # The consumer's periodic sweep (once a minute) re-enqueues what the outage kept pending.
    assert wait_until(lambda: set(outbox_messages()) >= expected, timeout=150), (
        outbox_messages(),
        site.consumer.output()[-4000:],
    )
    assert wait_until(
        lambda: EmailEvent.objects.filter(status="sent").count() == created, timeout=10
    )
    time.sleep(1)  # a duplicate, if any, would arrive right behind
    delivered = outbox_messages()
    assert set(delivered) == expected  # nothing lost, nothing unexpected
    assert all(count == 1 for count in delivered.values()), delivered  # no duplicates
    assert len(smtp.to("newcomer@example.test")) == 1  # sign-up confirmation, sent once

    # Redis is used again: ready, and the pages still answer.
    assert wait_until(lambda: unhurried.get("/readyz").status_code == 200, timeout=20)
    check_public_reads(unhurried, first, redis_up=True)
    # ... and no cached page from before the outage hides what changed during it.
    assert draft.title in unhurried.get("/projects/").text
    assert "Posted in an outage" in unhurried.get(first.url).text
    assert "Also in the outage" in unhurried.get(second.url).text
    assert_no_traceback(site)


def test_sign_in_limits_still_answer_429_while_redis_is_stopped(
    start_site, redis_server, site_pages
):
    user = UserFactory()
    strangers = UserFactory.create_batch(21)
    redis_server.stop()
    site = start_site(consumer=False)  # it even starts without Redis
    workers = 2
    browser = Browser(site)

    # API: THROTTLE_AUTH (10/min) per client IP, counted in each worker's memory.
    limit = 10
    statuses = [
        browser.api("/api/auth/token/", {"email": user.email, "password": "wrong"}).status_code
        for _ in range(workers * limit + 1)
    ]
    assert statuses[:limit] == [401] * limit
    assert 429 in statuses  # at the latest after every worker has seen its limit
    assert set(statuses) == {401, 429}

    # Web: allauth's login_failed limit (10/min per IP), likewise per worker.
    web = [
        browser.form("/accounts/login/", {"login": u.email, "password": "wrong"}).status_code
        for u in strangers
    ]
    assert web[:limit] == [200] * limit
    assert 429 in web
    assert set(web) == {200, 429}
    assert_no_traceback(site)
