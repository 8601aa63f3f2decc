"""The whole site (gunicorn with two workers, a Huey consumer) while PostgreSQL restarts, then
after it is back, with neither process restarted.

While the database is down every page answers the branded 503 page and the API a JSON 503,
`/readyz` names the database, no traceback reaches the server log; afterwards the same
processes serve and accept writes again, and every email is delivered exactly once (counted
at the SMTP server), including one whose retry fell into the outage.
"""

import time
from collections import Counter

import pytest

from accounts.factories import DEFAULT_PASSWORD, AuthorFactory, UserFactory
from showcase.factories import ProjectPageFactory
from tasks.models import EmailEvent
from tests.faults.browser import Browser, assert_no_traceback, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def review_subject(rating: int, project) -> str:
    return f"New {rating}-star review of {project.title}"


def post_web_review(browser: Browser, project, rating: int, title: str):
    return browser.form(
        f"/reviews/projects/{project.pk}/review/",
        {"rating": str(rating), "title": title, "body": f"{title}: written around a restart."},
        page=project.url,
    )


def post_api_review(browser: Browser, token: str, project, rating: int, title: str):
    return browser.api(
        f"/api/projects/{project.pk}/reviews/",
        {"rating": rating, "title": title, "body": f"{title}: through the API."},
        token=token,
    )


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503, response.text[:1000]
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Briefly unavailable" in response.text
    assert "database cannot be reached" in response.text
    assert "Traceback" not in response.text
    assert response.headers["Retry-After"].isdecimal()


def assert_unavailable_json(response) -> None:
    assert response.status_code == 503, response.text[:1000]
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert "database cannot be reached" in body["message"]


def test_the_site_answers_503_while_postgres_restarts_and_recovers_by_itself(
    start_site, postgres_outage, site_pages, _smtp_session
):
    smtp = _smtp_session
    owner = AuthorFactory()
    projects = ProjectPageFactory.create_batch(4, owner=owner)
    web_reviewer, api_reviewer = UserFactory(), UserFactory()
    EmailEvent.objects.all().delete()  # setting up sent "is live" emails; not under test
    # Retries 2 s after a refusal, so the retry of the refused email below falls into the outage.
    site = start_site(EMAIL_RETRY_DELAY="2", EMAIL_CLAIM_SECONDS="5")
    smtp.clear()
    web_pid, consumer_pid = site.web.proc.pid, site.consumer.proc.pid

    visitor = Browser(site, bound=None)
    for _ in range(3):  # every worker has loaded its code and holds a database connection
        for path in ["/", "/projects/", projects[0].url, "/api/projects/"]:
            assert visitor.get(path).status_code == 200, path
    assert visitor.get("/readyz").status_code == 200
    web = Browser(site, bound=None)
    web.sign_in(web_reviewer.email)
    api = Browser(site, bound=None)
    token = api.api("/api/auth/token/", {"email": api_reviewer.email, "password": DEFAULT_PASSWORD})
    assert token.status_code == 200, token.text
    access = token.json()["access"]

    # Before: one email delivered at once; one refused by SMTP, its retry due in the outage.
    assert post_web_review(web, projects[0], 5, "Before the restart").status_code == 302
    assert wait_until(lambda: len(smtp.messages) == 1, timeout=20)
    smtp.refuse_next = 1
    assert post_api_review(api, access, projects[1], 4, "Refused once").status_code == 201
    assert wait_until(lambda: smtp.attempts == 2, timeout=20)

    postgres_outage.down()
    started = time.monotonic()
    try:
        # Anonymous pages, a signed-in page, the API (read and write), the headless API.
        for path in ["/", "/projects/", projects[0].url, f"/authors/{owner.username}/"]:
            assert_unavailable_page(visitor.get(path))
        assert_unavailable_page(web.get(projects[2].url))
        # The form was loaded before the outage; its POST answers the 503 page.
        form = {"rating": "3", "title": "In the outage", "body": "Not saved, and told so. " * 3}
        form["csrfmiddlewaretoken"] = web.session.cookies["csrftoken"]
        assert_unavailable_page(web.post(f"/reviews/projects/{projects[2].pk}/review/", data=form))
        assert_unavailable_json(visitor.get("/api/projects/"))
        assert_unavailable_json(post_api_review(api, access, projects[2], 3, "In the outage"))
        assert visitor.get("/api/v2/pages/").status_code == 503
        # Readiness names the part that failed; liveness stays up (no restart wanted).
        ready = visitor.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["failing"] == ["database"]
        assert ready.json()["checks"]["cache"] == "ok"
        assert visitor.get("/healthz").status_code == 200
        time.sleep(max(0.0, 3.0 - (time.monotonic() - started)))  # a restart of ~3 s
    finally:
        postgres_outage.up()
    assert postgres_outage.terminated >= 2  # the workers' and the consumer's connections

    # The same processes recover: reads, then writes on the web and through the API.
    assert wait_until(lambda: visitor.get("/readyz").status_code == 200, timeout=10)
    for path in ["/", "/projects/", projects[0].url, "/api/projects/", "/api/v2/pages/"]:
        assert visitor.get(path).status_code == 200, path
    after = post_web_review(web, projects[2], 3, "After the restart")
    assert after.status_code == 302, after.text[-3000:]
    assert post_api_review(api, access, projects[3], 2, "Also after").status_code == 201
    assert "After the restart" in visitor.get(projects[2].url).text
    assert (site.web.proc.pid, site.consumer.proc.pid) == (web_pid, consumer_pid)
    assert site.web.proc.poll() is None and site.consumer.proc.poll() is None

    # Emails: created 4 (none for the write refused in the outage), each delivered once; the
    # refused one by its retry or, if that fell into the outage, by the minute's sweep.
    expected = {
        (owner.email, review_subject(5, projects[0])),
        (owner.email, review_subject(4, projects[1])),
        (owner.email, review_subject(3, projects[2])),
        (owner.email, review_subject(2, projects[3])),
    }
    assert EmailEvent.objects.count() == len(expected)

    def delivered() -> Counter:
        return Counter(
            (m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in list(smtp.messages)
        )

    assert wait_until(lambda: set(delivered()) >= expected, timeout=150), (
        delivered(),
        site.consumer.output()[-4000:],
    )
    assert wait_until(
        lambda: EmailEvent.objects.filter(status="sent").count() == len(expected), timeout=10
    )
    time.sleep(1)  # a duplicate, if any, would arrive right behind
    assert set(delivered()) == expected
    assert all(count == 1 for count in delivered().values()), delivered()

    assert_no_traceback(site)
    assert "database unavailable: GET /projects/" in site.web_log()
