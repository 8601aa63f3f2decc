"""Sign in with GitHub: offered only when configured, linking by GitHub's verified primary
address only, the same roles and JWT claims as a password account, inactive accounts refused.

GitHub is the outside world we cannot run here: a small OAuth2 server on a loopback port
(tests/accounts/github_server.py) plays its part, and the provider is pointed at it through
its GITHUB_URL setting. Everything on our side (allauth, the database, sessions) is real.
"""

import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from accounts.factories import DEFAULT_PASSWORD, AdminFactory, AuthorFactory, UserFactory
from tasks.emails import build_message
from tasks.models import EmailEvent
from tests.accounts.github_server import FakeGitHub, GitHubUser
from tests.e2e.support import axe_violations, describe, sign_in
from tests.services import BASE_DIR

pytestmark = pytest.mark.django_db
User = get_user_model()
LOGIN = "/accounts/github/login/"
CALLBACK = "/accounts/github/login/callback/"
BUTTON = "Sign in with GitHub"


@pytest.fixture(scope="session")
def github_server():
    server = FakeGitHub().start()
    yield server
    server.stop()


@pytest.fixture
def github(github_server, settings):
    """GitHub configured as production configures it, with its URLs on the local server."""
    github_server.reset()
    provider = settings.SOCIALACCOUNT_PROVIDERS["github"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {
            **provider,
            "GITHUB_URL": github_server.url,
            "APP": {"client_id": github_server.client_id, "secret": github_server.client_secret},
        }
    }
    return github_server


def sign_in_with_github(client, github, person, *, process="login", next_url=None):
    """The button's POST, the browser's visit to GitHub, and GitHub's redirect back."""
    github.signed_in = person
    data = {"process": process, **({"next": next_url} if next_url else {})}
    start = client.post(LOGIN, data)
    assert start.status_code == 302, start.content
    assert start.url.startswith(f"{github.url}/login/oauth/authorize?")
    at_github = requests.get(start.url, allow_redirects=False, timeout=10)
    assert at_github.status_code == 302, at_github.text
    back = urlsplit(at_github.headers["Location"])
    assert (back.netloc, back.path) == ("testserver", CALLBACK)
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def role_claim(user, password: str = DEFAULT_PASSWORD) -> str:
    response = APIClient().post(
        "/api/auth/token/", {"email": user.email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return AccessToken(response.json()["access"])["role"]


def with_address(uid: int, login: str, email: str) -> GitHubUser:
    """A GitHub account whose one address is primary and verified."""
    return GitHubUser(uid, login, emails=[(email, True, True)])


def verified_address(user) -> EmailAddress:
    return EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


# --- offered only when configured --------------------------------------------------------------
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_without_settings_there_is_no_button(client, path):
    body = client.get(path).content.decode()
    assert BUTTON not in body
    assert LOGIN not in body


def test_without_settings_the_provider_urls_answer_404(client):
    assert client.get(LOGIN).status_code == 404
    assert client.post(LOGIN, {"process": "login"}).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_with_settings_both_pages_show_a_post_button(client, github, path):
    body = client.get(path).content.decode()
    form = re.search(rf'<form method="post" action="{LOGIN}">(.*?)</form>', body, re.S)
    assert form is not None, body
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert f'<button class="btn btn--github" type="submit">{BUTTON}</button>' in form.group(1)


def test_the_button_keeps_where_the_visitor_was_going(client, github):
    body = client.get("/accounts/login/", {"next": "/accounts/settings/"}).content.decode()
    form = re.search(rf'<form method="post" action="{LOGIN}">(.*?)</form>', body, re.S)
    assert 'name="next" value="/accounts/settings/"' in form.group(1)
    person = with_address(11, "wanderer", "wanderer@example.test")
    response = sign_in_with_github(client, github, person, next_url="/accounts/settings/")
    assert response.status_code == 302
    assert response.url == "/accounts/settings/"


def _probe(**env: str) -> subprocess.CompletedProcess:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps({'github': s.SOCIALACCOUNT_PROVIDERS['github'], "
        "'form_action': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']}))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "proctique.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_environment_configures_the_app_and_the_form_action():
    unset = _probe(DEBUG="true")
    assert unset.returncode == 0, unset.stderr
    values = json.loads(unset.stdout)
    assert "APP" not in values["github"]
    assert values["form_action"] == ["'self'"]

    configured = _probe(DEBUG="true", GITHUB_CLIENT_ID="an-id", GITHUB_CLIENT_SECRET="a-secret")
    assert configured.returncode == 0, configured.stderr
    values = json.loads(configured.stdout)
    assert values["github"]["APP"] == {"client_id": "an-id", "secret": "a-secret"}
    # The sign-in form is answered with a redirect to GitHub, which form-action must allow.
    assert values["form_action"] == ["'self'", "https://github.com"]


def test_half_a_configuration_refuses_to_start():
    result = _probe(DEBUG="true", GITHUB_CLIENT_ID="an-id")
    assert result.returncode != 0
    assert "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET" in result.stderr


# --- signing up and linking --------------------------------------------------------------------
@pytest.mark.parametrize("verification", ["optional", "mandatory"])
def test_a_new_github_user_gets_a_plain_account(client, github, settings, verification):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    person = GitHubUser(
        101,
        "octo-cat",
        name="Mona Lisa",
        emails=[("old@example.test", False, False), ("Mona@Example.test", True, True)],
    )
    response = sign_in_with_github(client, github, person)
    assert response.status_code == 302
    assert response.url == "/"
    user = signed_in_user(client)
    # GitHub verified the address, so even mandatory verification signs in at once.
    assert (user.email, user.username, user.role) == ("mona@example.test", "octo-cat", "user")
    assert not user.groups.exists()
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "101"
    assert [(a.email.lower(), a.verified, a.primary) for a in user.emailaddress_set.all()] == [
        ("mona@example.test", True, True)
    ]


def test_a_taken_username_gets_another_and_links_nothing(client, github):
    existing = UserFactory(username="octocat", email="someone@example.test")
    person = with_address(102, "octocat", "another@example.test")
    sign_in_with_github(client, github, person)
    user = signed_in_user(client)
    assert user.pk != existing.pk
    assert user.username.lower() != "octocat"
    assert not SocialAccount.objects.filter(user=existing).exists()


def test_a_returning_github_user_signs_in_to_the_same_account(client, github):
    person = with_address(103, "returner", "returner@example.test")
    sign_in_with_github(client, github, person)
    first = signed_in_user(client)
    client.post("/accounts/logout/")
    # The link is GitHub's account id: a changed (even unverified) address still finds it.
    person.emails = [("changed@example.test", True, False)]
    response = sign_in_with_github(client, github, person)
    assert response.status_code == 302
    assert signed_in_user(client) == first
    assert User.objects.count() == 1


@pytest.mark.parametrize("factory", [UserFactory, AuthorFactory, AdminFactory])
def test_an_existing_account_is_linked_and_keeps_its_role(client, github, factory):
    existing = factory(email="alice@example.test")
    verified_address(existing)
    role = existing.role
    person = with_address(104, "alice-gh", "Alice@Example.test")
    response = sign_in_with_github(client, github, person)
    assert response.status_code == 302
    assert signed_in_user(client) == existing
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(uid="104").user == existing
    existing.refresh_from_db()
    assert existing.role == role
    # Same claims on the API: the password still works and the token names the same role.
    assert existing.check_password(DEFAULT_PASSWORD)
    assert role_claim(existing) == role


@pytest.mark.parametrize("factory", [AuthorFactory, AdminFactory])
def test_the_admin_opens_after_a_github_sign_in(client, github, site_pages, factory):
    existing = factory(email="staff@example.test")
    verified_address(existing)
    sign_in_with_github(client, github, with_address(105, "staff", existing.email))
    assert client.get("/admin/").status_code == 200


def test_a_plain_user_still_has_no_admin_after_a_github_sign_in(client, github):
    sign_in_with_github(client, github, with_address(106, "plain", "p@example.test"))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_an_unverified_local_address_is_linked_but_its_password_is_wiped(client, github):
    # Someone signed up with another person's address and a password of theirs, and never
    # verified it; when the address's owner signs in with GitHub, that password stops working.
    squatter = UserFactory(email="victim@example.test")
    EmailAddress.objects.create(user=squatter, email=squatter.email, primary=True, verified=False)
    sign_in_with_github(client, github, with_address(107, "victim", squatter.email))
    assert signed_in_user(client) == squatter
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    refused = APIClient().post(
        "/api/auth/token/", {"email": squatter.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert refused.status_code == 401


def test_an_unverified_github_address_never_links(client, github):
    existing = AuthorFactory(email="owner@example.test")
    verified_address(existing)
    person = GitHubUser(108, "claimer", emails=[("owner@example.test", True, False)])
    response = sign_in_with_github(client, github, person)
    assert response.status_code == 400
    assert "no verified primary email address" in response.content.decode()
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1


def test_a_verified_secondary_address_does_not_link(client, github):
    existing = UserFactory(email="second@example.test")
    verified_address(existing)
    person = GitHubUser(
        109, "twofold", emails=[("first@example.test", True, True), (existing.email, False, True)]
    )
    sign_in_with_github(client, github, person)
    user = signed_in_user(client)
    assert user.pk != existing.pk
    assert user.email == "first@example.test"
    assert not SocialAccount.objects.filter(user=existing).exists()


def test_no_verified_address_creates_nothing(client, github):
    person = GitHubUser(110, "nobody", emails=[("nobody@example.test", True, False)])
    response = sign_in_with_github(client, github, person)
    assert response.status_code == 400
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


# --- what refuses, what does not ---------------------------------------------------------------
def test_an_inactive_account_is_refused(client, github):
    existing = UserFactory(email="gone@example.test", is_active=False)
    verified_address(existing)
    response = sign_in_with_github(client, github, with_address(111, "gone", existing.email))
    assert response.status_code == 302
    assert response.url == "/accounts/inactive/"
    assert signed_in_user(client) is None


def test_an_inactive_account_linked_before_is_refused(client, github):
    person = with_address(112, "was-active", "was@example.test")
    sign_in_with_github(client, github, person)
    user = signed_in_user(client)
    client.post("/accounts/logout/")
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = sign_in_with_github(client, github, person)
    assert response.url == "/accounts/inactive/"
    assert signed_in_user(client) is None


def test_the_password_lockout_does_not_stop_a_github_sign_in(client, github, settings):
    existing = UserFactory(email="locked@example.test")
    verified_address(existing)
    User.objects.filter(pk=existing.pk).update(
        failed_logins=settings.LOGIN_FAILURE_LIMIT, last_failed_login=timezone.now()
    )
    password = Client().post(
        "/accounts/login/", {"login": existing.email, "password": DEFAULT_PASSWORD}
    )
    assert password.status_code == 429
    sign_in_with_github(client, github, with_address(113, "locked", existing.email))
    assert signed_in_user(client) == existing


def test_a_callback_this_site_did_not_start_signs_nobody_in(client, github):
    github.signed_in = with_address(114, "forger", "forger@example.test")
    # A code for someone else's session: the state it carries is unknown to this one.
    other = Client()
    start = other.post(LOGIN, {"process": "login"})
    at_github = requests.get(start.url, allow_redirects=False, timeout=10)
    query = parse_qs(urlsplit(at_github.headers["Location"]).query)
    response = client.get(CALLBACK, {"code": query["code"][0], "state": query["state"][0]})
    assert response.status_code == 401
    assert "Sign-in failed" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_a_code_github_refuses_signs_nobody_in(client, github):
    github.signed_in = with_address(115, "replayed", "replayed@example.test")
    start = client.post(LOGIN, {"process": "login"})
    at_github = requests.get(start.url, allow_redirects=False, timeout=10)
    query = parse_qs(urlsplit(at_github.headers["Location"]).query)
    response = client.get(CALLBACK, {"code": "not-the-code", "state": query["state"][0]})
    assert response.status_code == 401
    assert "Sign-in failed" in response.content.decode()
    assert github.token_requests == 1
    assert signed_in_user(client) is None


# --- API tokens for an account without a password ----------------------------------------------
def test_a_github_only_account_gets_tokens_through_the_reset_flow(client, github):
    person = with_address(116, "api-user", "api-user@example.test")
    sign_in_with_github(client, github, person)
    user = signed_in_user(client)
    api = APIClient()
    no_password = {"email": user.email, "password": ""}
    assert api.post("/api/auth/token/", no_password, format="json").status_code == 400
    reset = api.post("/api/auth/password-reset/", {"email": user.email}, format="json")
    assert reset.status_code == 202
    body = build_message(EmailEvent.objects.get(kind="password_reset", recipient=user)).body
    link = next(word for word in body.split() if "/accounts/password/reset/key/" in word)
    uid, key = link.rstrip("/").rsplit("/", 1)[1].split("-", 1)
    confirm = api.post(
        "/api/auth/password-reset/confirm/",
        {"uid": uid, "key": key, "new_password": "a-github-users-passphrase-5"},
        format="json",
    )
    assert confirm.status_code == 200, confirm.content
    assert role_claim(user, "a-github-users-passphrase-5") == "user"
    # The GitHub link survives: the next GitHub sign-in is the same account.
    client.post("/accounts/logout/")
    sign_in_with_github(client, github, person)
    assert signed_in_user(client) == user


def test_a_github_only_account_sets_a_password_on_the_web(client, github):
    sign_in_with_github(client, github, with_address(121, "web-user", "web-user@example.test"))
    user = signed_in_user(client)
    settings_page = client.get("/accounts/settings/").content.decode()
    assert '<a href="/accounts/password/change/">Set a password</a>' in settings_page
    assert client.get("/accounts/password/change/").url == "/accounts/password/set/"
    new_password = "a-github-users-passphrase-6"
    response = client.post(
        "/accounts/password/set/", {"password1": new_password, "password2": new_password}
    )
    assert response.status_code == 302
    assert role_claim(user, new_password) == "user"


# --- connected accounts ------------------------------------------------------------------------
def test_settings_link_to_connected_accounts_only_when_offered(client, settings):
    user = UserFactory()
    client.force_login(user)
    assert "/accounts/3rdparty/" not in client.get("/accounts/settings/").content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {
            **settings.SOCIALACCOUNT_PROVIDERS["github"],
            "APP": {"client_id": "id", "secret": "secret"},
        }
    }
    body = client.get("/accounts/settings/").content.decode()
    assert '<a href="/accounts/3rdparty/">Connected accounts (GitHub)</a>' in body


def test_the_connections_page_lists_github_and_disconnects_it(client, github):
    existing = UserFactory(email="both@example.test")
    verified_address(existing)
    sign_in_with_github(client, github, with_address(117, "both-ways", existing.email))
    page = client.get("/accounts/3rdparty/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'class="site-header"' in body
    assert "GitHub: both-ways" in body
    account = SocialAccount.objects.get(user=existing)
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert "Connect GitHub" in client.get("/accounts/3rdparty/").content.decode()


def test_the_only_way_in_cannot_be_disconnected(client, github):
    sign_in_with_github(client, github, with_address(118, "only", "only@example.test"))
    account = SocialAccount.objects.get(uid="118")
    response = client.post("/accounts/3rdparty/", {"account": account.pk})
    assert response.status_code == 200
    assert "Your account has no password set up." in response.content.decode()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_a_signed_in_user_connects_github_with_another_address(client, github):
    existing = UserFactory(email="home@example.test")
    verified_address(existing)
    client.post("/accounts/login/", {"login": existing.email, "password": DEFAULT_PASSWORD})
    assert signed_in_user(client) == existing
    person = with_address(119, "work-account", "work@example.test")
    response = sign_in_with_github(client, github, person, process="connect")
    assert response.status_code == 302
    assert response.url == "/accounts/3rdparty/"
    assert SocialAccount.objects.get(uid="119").user == existing
    client.post("/accounts/logout/")
    sign_in_with_github(client, github, person)
    assert signed_in_user(client) == existing


# --- in a browser ------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_a_person_signs_in_with_github_in_chromium(page, live_server, github, settings):
    # As production allows https://github.com (see the settings test above): the browser
    # checks the redirect that answers the button's POST against form-action.
    policy = settings.CONTENT_SECURITY_POLICY
    directives = policy["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], github.url]},
    }
    github.signed_in = GitHubUser(
        120, "browser-user", name="Brow Ser", emails=[("browser@example.test", True, True)]
    )
    page.goto("/accounts/login/?next=/accounts/settings/")
    page.get_by_role("button", name=BUTTON).click()
    page.wait_for_url(f"{live_server.url}/accounts/settings/")
    assert page.get_by_role("heading", name="Account settings").is_visible()
    assert page.get_by_text("Signed in as browser@example.test").is_visible()
    page.get_by_role("link", name="Connected accounts (GitHub)").click()
    assert page.get_by_text("GitHub: browser-user").is_visible()


def assert_axe_clean(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, f"{path}:\n{describe(violations)}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_github_pages_pass_axe(page, live_server, github, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    for path in ["/accounts/login/", "/accounts/signup/", LOGIN]:
        assert_axe_clean(page, path)
    sign_in(page, UserFactory(), live_server.url)
    assert_axe_clean(page, "/accounts/3rdparty/")
