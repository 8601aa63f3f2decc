"""A timing HTTP client for the fault tests, and what every fault test checks of a site."""

import time

import requests

from accounts.factories import DEFAULT_PASSWORD

# "Does not hang": a generous upper bound per request (one socket timeout is 0.5 s).
BOUND_SECONDS = 2.0


class Browser:
    """A requests session against one site that times every call and keeps the CSRF token."""

    def __init__(self, site, bound: float | None = BOUND_SECONDS):
        self.site = site
        self.bound = bound
        self.session = requests.Session()
        self.slowest = 0.0

    def _timed(self, method: str, path: str, **kwargs) -> requests.Response:
        started = time.monotonic()
        response = self.session.request(
            method, f"{self.site.url}{path}", allow_redirects=False, timeout=30, **kwargs
        )
        elapsed = time.monotonic() - started
        self.slowest = max(self.slowest, elapsed)
        if self.bound is not None:
            assert elapsed < self.bound, f"{method} {path} took {elapsed:.2f} s"
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._timed("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self._timed("POST", path, **kwargs)

    def form(self, path: str, data: dict, page: str | None = None, **kwargs) -> requests.Response:
        """GET the page with the form (for the CSRF cookie), then POST it (`files=` too)."""
        assert self.get(page or path).status_code == 200
        data = {**data, "csrfmiddlewaretoken": self.session.cookies["csrftoken"]}
        return self._timed("POST", path, data=data, **kwargs)

    def api(self, path: str, body: dict, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self._timed("POST", path, json=body, headers=headers)

    def sign_in(self, email: str) -> None:
        response = self.form("/accounts/login/", {"login": email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, response.text[:1000]


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def assert_no_traceback(site) -> None:
    log = site.web_log()
    assert "Traceback" not in log, log[-6000:]
    assert "Internal Server Error" not in log, log[-6000:]
