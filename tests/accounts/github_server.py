"""A stand-in for GitHub on a loopback port: GitHub is the outside world these tests cannot run.

It speaks the part of GitHub's protocol that the provider uses, with GitHub Enterprise's layout
(API below the web host, which the provider's ``GITHUB_URL`` setting selects):
``GET /login/oauth/authorize`` (the browser, already signed in at GitHub and having authorised
the app, is sent straight back with a code), ``POST /login/oauth/access_token`` (code for token,
checked against the client id, secret and redirect URI; a code works once), and
``GET /api/v3/user`` and ``GET /api/v3/user/emails`` with ``Authorization: token ...``.
"""

import json
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


@dataclass
class GitHubUser:
    """A person's GitHub account: its profile and its `/user/emails` entries."""

    id: int
    login: str
    name: str = ""
    # (address, primary, verified)
    emails: list[tuple[str, bool, bool]] = field(default_factory=list)

    def profile(self) -> dict:
        public = next((e for e, primary, verified in self.emails if primary and verified), None)
        return {
            "id": self.id,
            "login": self.login,
            "name": self.name or None,
            "email": public,
            "html_url": f"https://github.com/{self.login}",
            "avatar_url": None,
        }

    def email_entries(self) -> list[dict]:
        return [
            {"email": email, "primary": primary, "verified": verified, "visibility": None}
            for email, primary, verified in self.emails
        ]


class FakeGitHub:
    """The server and what it knows: the OAuth app, who is signed in at GitHub, codes, tokens."""

    client_id = "test-github-client-id"
    client_secret = "test-github-client-secret"  # noqa: S105

    def __init__(self) -> None:
        self.signed_in: GitHubUser | None = None
        self._codes: dict[str, tuple[GitHubUser, str]] = {}
        self._tokens: dict[str, GitHubUser] = {}
        self.token_requests = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> "FakeGitHub":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.signed_in = None
            self._codes.clear()
            self._tokens.clear()
            self.token_requests = 0

    # --- the protocol -----------------------------------------------------------------------
    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if query.get("client_id") != self.client_id or self.signed_in is None:
            return HTTPStatus.BAD_REQUEST, {}, b"unknown client or nobody signed in"
        if "user:email" not in query.get("scope", "").split():
            return HTTPStatus.BAD_REQUEST, {}, b"the app must ask for user:email"
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = (self.signed_in, query["redirect_uri"])
        back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return HTTPStatus.FOUND, {"Location": back}, b""

    def access_token(self, form: dict[str, str]) -> dict:
        with self._lock:
            self.token_requests += 1
            grant = self._codes.pop(form.get("code", ""), None)
            if (
                form.get("client_id") != self.client_id
                or form.get("client_secret") != self.client_secret
            ):
                return {"error": "incorrect_client_credentials"}
            if grant is None or grant[1] != form.get("redirect_uri"):
                # GitHub answers 200 with an error document, as here.
                return {"error": "bad_verification_code"}
            token = secrets.token_urlsafe(20)
            self._tokens[token] = grant[0]
        return {"access_token": token, "token_type": "bearer", "scope": "user:email"}

    def user_for(self, authorization: str | None) -> GitHubUser | None:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "token":
            return None
        with self._lock:
            return self._tokens.get(token)


def _handler_for(github: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/login/oauth/authorize":
                status, headers, body = github.authorize(query)
                return self._answer(status, body, headers=headers)
            user = github.user_for(self.headers.get("Authorization"))
            if parts.path in ("/api/v3/user", "/api/v3/user/emails") and user is None:
                return self._json(HTTPStatus.UNAUTHORIZED, {"message": "Bad credentials"})
            if parts.path == "/api/v3/user":
                return self._json(HTTPStatus.OK, user.profile())
            if parts.path == "/api/v3/user/emails":
                return self._json(HTTPStatus.OK, user.email_entries())
            return self._json(HTTPStatus.NOT_FOUND, {"message": "Not Found"})

        def do_POST(self) -> None:  # noqa: N802
            if urlsplit(self.path).path != "/login/oauth/access_token":
                return self._json(HTTPStatus.NOT_FOUND, {"message": "Not Found"})
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            return self._json(HTTPStatus.OK, github.access_token(form))

        def _json(self, status: int, payload) -> None:
            body = json.dumps(payload).encode()
            self._answer(status, body, headers={"Content-Type": "application/json"})

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
            pass

    return Handler
