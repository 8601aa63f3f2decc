"""Counting visits and clicks while the site's Redis is stopped or frozen: the counts are lost
(docs/reliability.md says so) but the beacon and the outbound redirect answer at once, and
counting resumes when Redis is back."""

import time

import pytest
import requests

from accounts.factories import AuthorFactory
from showcase.factories import ProjectPageFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BOUND_SECONDS = 2.0  # one socket timeout is 0.5 s; the breaker skips Redis after that
BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}


def timed(method: str, url: str, **kwargs) -> requests.Response:
    started = time.monotonic()
    response = requests.request(
        method, url, allow_redirects=False, timeout=30, headers=BROWSER, **kwargs
    )
    elapsed = time.monotonic() - started
    assert elapsed < BOUND_SECONDS, f"{method} {url} took {elapsed:.2f} s"
    return response


def visitors_today(redis_server, project) -> int:
    keys = redis_server.client(0).keys(f"*:insights:*:{project.pk}:visitors")
    return sum(redis_server.client(0).scard(key) for key in keys)


def test_counting_never_fails_a_request_while_redis_is_down(start_site, redis_server, site_pages):
    project = ProjectPageFactory(owner=AuthorFactory(), repository_url="https://example.org/r")
    site = start_site(consumer=False)
    beacon, outbound = f"{site.url}/insights/view/", f"{site.url}/go/{project.pk}/repository/"

    # Warm both workers while Redis is up; the visit is counted.
    for _ in range(4):
        assert timed("POST", beacon, data={"project": project.pk}).status_code == 204
    assert visitors_today(redis_server, project) == 1

    for fail, recover in (("stop", "start"), ("freeze", "thaw")):
        getattr(redis_server, fail)()
        for _ in range(6):
            assert timed("POST", beacon, data={"project": project.pk}).status_code == 204
            click = timed("GET", outbound)
            assert click.status_code == 302
            assert click.headers["Location"] == "https://example.org/r"
        getattr(redis_server, recover)()

    # Back up (the breaker lets the next call through after its pause): counting resumes.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        timed("GET", outbound)
        clicks = redis_server.client(0).keys(f"*:insights:*:{project.pk}:clicks")
        if clicks:
            break
        time.sleep(0.5)
    assert clicks, "no click was counted after Redis came back"
    log = site.web_log()
    assert "Traceback" not in log and "Internal Server Error" not in log, log[-4000:]
    assert "was not counted: Redis is unavailable" in log
