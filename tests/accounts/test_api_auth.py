"""The JWT account API under /api/auth/."""

import jwt
import pytest
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.passwords import reset_url
from accounts.roles import revoke_author
from tasks.models import EmailEvent
from tests.accounts.conftest import bearer

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "a-brand-new-passphrase-77"


def claims(token: str) -> dict:
    return jwt.decode(
        token,
        settings.SIMPLE_JWT["SIGNING_KEY"],
        algorithms=["HS256"],
        audience=settings.SIMPLE_JWT["AUDIENCE"],
        issuer=settings.SIMPLE_JWT["ISSUER"],
    )


def assert_error_shape(response, status, *fields):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"message", "errors"}
    for field in fields:
        assert body["errors"].get(field), body


# --- register -------------------------------------------------------------------------------
def test_register_returns_user_and_tokens(api):
    response = api.post(
        "/api/auth/register/",
        {
            "email": "New@Example.test",
            "username": "newbie",
            "password": "sturdy-signup-passphrase-1",
            "display_name": "New Bie",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["user"]["email"] == "new@example.test"
    assert body["user"]["role"] == "user"
    assert body["email_verification_required"] is False
    assert claims(body["access"])["role"] == "user"
    # allauth's verification email, as an outbox row the worker sends.
    assert EmailEvent.objects.get().kind == "email_confirmation"
    assert User.objects.get(username="newbie").check_password("sturdy-signup-passphrase-1")


def test_register_with_mandatory_verification_gives_no_tokens_until_verified(api, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    payload = {"email": "v@example.test", "username": "v", "password": "sturdy-passphrase-22"}
    response = api.post("/api/auth/register/", payload, format="json")
    assert response.status_code == 202
    assert "access" not in response.json()
    assert response.json()["email_verification_required"] is True
    obtain = api.post(
        "/api/auth/token/",
        {"email": "v@example.test", "password": payload["password"]},
        format="json",
    )
    assert_error_shape(obtain, 401)


@pytest.mark.parametrize(
    "email", ["taken@example.test", "TAKEN@example.TEST", " Taken@Example.test"]
)
def test_register_duplicate_email_any_case(api, email):
    UserFactory(email="taken@example.test")
    response = api.post(
        "/api/auth/register/",
        {"email": email, "username": "fresh", "password": "sturdy-passphrase-22"},
        format="json",
    )
    assert_error_shape(response, 400, "email")


def test_register_duplicate_username_any_case(api):
    UserFactory(username="alice")
    response = api.post(
        "/api/auth/register/",
        {"email": "a2@example.test", "username": "ALICE", "password": "sturdy-passphrase-22"},
        format="json",
    )
    assert_error_shape(response, 400, "username")


@pytest.mark.parametrize(
    "password", ["short", "12345678901", "password123", "weakling@example.test"]
)
def test_register_weak_password(api, password):
    response = api.post(
        "/api/auth/register/",
        {"email": "weakling@example.test", "username": "weakling", "password": password},
        format="json",
    )
    assert_error_shape(response, 400, "password")
    assert not User.objects.filter(username="weakling").exists()


def test_register_missing_fields(api):
    response = api.post("/api/auth/register/", {}, format="json")
    assert_error_shape(response, 400, "email", "username", "password")


@pytest.mark.parametrize(
    "path",
    [
        "/api/auth/register/",
        "/api/auth/token/",
        "/api/auth/token/refresh/",
        "/api/auth/password-reset/",
        "/api/auth/password-reset/confirm/",
    ],
)
def test_malformed_json_is_400(api, path):
    response = api.generic("POST", path, '{"email": ', content_type="application/json")
    assert_error_shape(response, 400)


# --- tokens ---------------------------------------------------------------------------------
def test_obtain_carries_role_issuer_and_audience(api, author):
    response = api.post(
        "/api/auth/token/",
        {"email": author.email.upper(), "password": DEFAULT_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    access = claims(response.json()["access"])
    assert access["role"] == "author"
    assert access["iss"] == settings.SIMPLE_JWT["ISSUER"]
    assert access["aud"] == settings.SIMPLE_JWT["AUDIENCE"]
    assert 5 * 60 <= access["exp"] - access["iat"] <= 15 * 60
    refresh = claims(response.json()["refresh"])
    assert 6 * 86400 <= refresh["exp"] - refresh["iat"] <= 8 * 86400


def test_obtain_wrong_password_and_unknown_email_look_the_same(api, user):
    wrong = api.post("/api/auth/token/", {"email": user.email, "password": "nope"}, format="json")
    unknown = api.post(
        "/api/auth/token/", {"email": "ghost@example.test", "password": "nope"}, format="json"
    )
    assert_error_shape(wrong, 401)
    assert wrong.json() == unknown.json()


def test_obtain_missing_fields(api):
    assert_error_shape(api.post("/api/auth/token/", {}, format="json"), 400, "email", "password")


def test_inactive_users_are_refused_at_obtain_and_refresh(api, user, obtain):
    pair = obtain(user)
    user.is_active = False
    user.save()
    response = api.post(
        "/api/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert_error_shape(response, 401)
    refreshed = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_error_shape(refreshed, 401)
    me = api.get("/api/auth/me/", **bearer(pair["access"]))
    assert me.status_code == 401


def test_refresh_rotates_and_blacklists_the_used_token(api, user, obtain):
    pair = obtain(user)
    response = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 200
    new = response.json()
    assert new["refresh"] != pair["refresh"]
    assert BlacklistedToken.objects.filter(token__jti=claims(pair["refresh"])["jti"]).exists()
    reused = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_error_shape(reused, 401)
    assert api.get("/api/auth/me/", **bearer(new["access"])).status_code == 200


def test_refresh_rereads_the_role(api, user, obtain):
    pair = obtain(user)
    assert claims(pair["access"])["role"] == "user"
    became = api.post("/api/auth/become-author/", **bearer(pair["access"]))
    assert became.status_code == 200
    assert became.json()["role"] == "author"
    pair = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json").json()
    assert claims(pair["access"])["role"] == "author"
    assert claims(pair["refresh"])["role"] == "author"
    revoke_author(user)
    pair = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json").json()
    assert claims(pair["access"])["role"] == "user"


def test_refresh_for_a_deleted_user_is_401(api, obtain):
    doomed = UserFactory()
    pair = obtain(doomed)
    doomed.delete()
    response = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_error_shape(response, 401)


def test_verify(api, user, obtain):
    pair = obtain(user)
    verify = api.post("/api/auth/token/verify/", {"token": pair["access"]}, format="json")
    assert verify.status_code == 200
    bad_token = pair["access"][:-3] + "abc"
    bad = api.post("/api/auth/token/verify/", {"token": bad_token}, format="json")
    assert_error_shape(bad, 401)


def test_logout_blacklists_the_refresh_token(api, user, obtain):
    pair = obtain(user)
    signed_in = bearer(pair["access"])
    body = {"refresh": pair["refresh"]}
    response = api.post("/api/auth/logout/", body, format="json", **signed_in)
    assert response.status_code == 204
    again = api.post("/api/auth/token/refresh/", body, format="json")
    assert_error_shape(again, 401)
    twice = api.post("/api/auth/logout/", body, format="json", **signed_in)
    assert_error_shape(twice, 401)
    empty = api.post("/api/auth/logout/", {}, format="json", **signed_in)
    assert_error_shape(empty, 400, "refresh")
    malformed = api.generic(
        "POST", "/api/auth/logout/", '{"refresh": ', content_type="application/json", **signed_in
    )
    assert_error_shape(malformed, 400)


def test_logout_needs_a_token_and_only_spends_your_own(api, user, obtain):
    pair = obtain(user)
    body = {"refresh": pair["refresh"]}
    assert_error_shape(api.post("/api/auth/logout/", body, format="json"), 401)
    other = obtain(UserFactory())
    foreign = api.post("/api/auth/logout/", body, format="json", **bearer(other["access"]))
    assert_error_shape(foreign, 403)
    assert not BlacklistedToken.objects.exists()


@pytest.mark.parametrize(
    "path", ["/api/auth/token/refresh/", "/api/auth/logout/", "/api/auth/token/verify/"]
)
def test_token_endpoints_answer_garbage_with_a_documented_error(api, user, obtain, path):
    signed_in = bearer(obtain(user)["access"])
    # A string that is no token is refused credentials (401); a number is the wrong type (400).
    for body, expected in (
        ({"refresh": "00", "token": "00"}, 401),
        ({"refresh": 0, "token": 0}, 400),
    ):
        response = api.post(path, body, format="json", **signed_in)
        assert response.status_code == expected, (body, response.content)
    # JSON only, like the rest of the API: a form body is refused, not half-parsed.
    form = api.generic(
        "POST", path, "refresh=00&token=00", "application/x-www-form-urlencoded", **signed_in
    )
    assert form.status_code == 415


# --- me and roles -----------------------------------------------------------------------------
def test_me_get_and_patch(api, user, obtain):
    access = obtain(user)["access"]
    me = api.get("/api/auth/me/", **bearer(access))
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    assert me.json()["role"] == "user"
    patched = api.patch(
        "/api/auth/me/",
        {"display_name": "Renamed", "email": "hijack@example.test", "username": "root"},
        format="json",
        **bearer(access),
    )
    assert patched.status_code == 200
    user.refresh_from_db()
    assert user.display_name == "Renamed"
    assert user.email != "hijack@example.test" and user.username != "root"
    too_long = api.patch(
        "/api/auth/me/", {"display_name": "x" * 81}, format="json", **bearer(access)
    )
    assert_error_shape(too_long, 400, "display_name")


@pytest.mark.parametrize(
    "body",
    [{"notify_new_reviews": 0}, {"notify_new_reviews": "false"}, {"display_name": 42}],
)
def test_me_patch_takes_json_types_at_their_word(api, user, obtain, body):
    access = obtain(user)["access"]
    response = api.patch("/api/auth/me/", body, format="json", **bearer(access))
    assert_error_shape(response, 400, next(iter(body)))
    ok = api.patch("/api/auth/me/", {"notify_new_reviews": False}, format="json", **bearer(access))
    assert ok.status_code == 200
    assert ok.json()["notify_new_reviews"] is False


def test_me_and_become_author_need_a_token(api):
    assert_error_shape(api.get("/api/auth/me/"), 401)
    assert_error_shape(api.post("/api/auth/become-author/"), 401)


# --- password reset ----------------------------------------------------------------------------
def test_password_reset_request_same_answer_for_unknown_email(api, user):
    known = api.post("/api/auth/password-reset/", {"email": user.email.upper()}, format="json")
    unknown = api.post("/api/auth/password-reset/", {"email": "ghost@example.test"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    event = EmailEvent.objects.get()
    assert (event.kind, event.recipient_id) == ("password_reset", user.pk)


def test_password_reset_request_bad_input(api):
    assert_error_shape(api.post("/api/auth/password-reset/", {}, format="json"), 400, "email")
    bad = api.post("/api/auth/password-reset/", {"email": "not-an-email"}, format="json")
    assert_error_shape(bad, 400, "email")


def _uid_key(user):
    uid, key = reset_url(user).rstrip("/").rsplit("/", 1)[1].split("-", 1)
    return uid, key


def test_password_reset_confirm_works_once_and_revokes_tokens(api, user, obtain):
    pair = obtain(user)
    uid, key = _uid_key(user)
    payload = {"uid": uid, "key": key, "new_password": NEW_PASSWORD}
    response = api.post("/api/auth/password-reset/confirm/", payload, format="json")
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = api.post(
        "/api/auth/password-reset/confirm/",
        {**payload, "new_password": "another-passphrase-88"},
        format="json",
    )
    assert_error_shape(again, 400, "key")
    # Outstanding tokens die with the old password.
    assert_error_shape(api.get("/api/auth/me/", **bearer(pair["access"])), 401)
    refreshed = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_error_shape(refreshed, 401)


def test_password_reset_confirm_expired_key(api, user, settings):
    uid, key = _uid_key(user)
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = api.post(
        "/api/auth/password-reset/confirm/",
        {"uid": uid, "key": key, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert_error_shape(response, 400, "key")


@pytest.mark.parametrize("uid", ["zzzzzzzz", "!!", "0", ""])
def test_password_reset_confirm_bad_uid_or_key(api, user, uid):
    _, key = _uid_key(user)
    response = api.post(
        "/api/auth/password-reset/confirm/",
        {"uid": uid, "key": key, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_reset_confirm_weak_password(api, user):
    uid, key = _uid_key(user)
    response = api.post(
        "/api/auth/password-reset/confirm/",
        {"uid": uid, "key": key, "new_password": "123"},
        format="json",
    )
    assert_error_shape(response, 400, "new_password")


def test_web_password_change_revokes_api_tokens(client, api, user, obtain):
    pair = obtain(user)
    client.force_login(user)
    client.post(
        "/accounts/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert_error_shape(api.get("/api/auth/me/", **bearer(pair["access"])), 401)
    refreshed = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert_error_shape(refreshed, 401)


# "¼" passes the plain username check but is stored NFKC-normalised as "1⁄4", whose fraction
# slash no profile URL matches: the normal form is checked, on every route that names a user.
UNSTORABLE_HANDLE = "1¼î"


def test_register_checks_the_username_as_stored(api):
    response = api.post(
        "/api/auth/register/",
        {"email": "q@example.test", "username": UNSTORABLE_HANDLE, "password": "sturdy-pass-99"},
        format="json",
    )
    assert_error_shape(response, 400, "username")
    assert not User.objects.filter(email="q@example.test").exists()


def test_web_signup_checks_the_username_as_stored(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "q@example.test",
            "username": UNSTORABLE_HANDLE,
            "password1": "sturdy-signup-passphrase-1",
            "password2": "sturdy-signup-passphrase-1",
        },
    )
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not User.objects.filter(email="q@example.test").exists()


def test_the_model_checks_the_username_as_stored(user):
    """The admin's user forms and the settings page validate through the model's field."""
    user.username = UNSTORABLE_HANDLE
    with pytest.raises(ValidationError) as caught:
        user.full_clean()
    assert "username" in caught.value.message_dict
    user.username = "plain-handle_1"
    user.full_clean()


def test_an_access_token_answers_for_its_own_user_until_they_are_gone(api, obtain):
    first, second = UserFactory(username="first-holder"), UserFactory(username="second-holder")
    first_access, second_access = obtain(first)["access"], obtain(second)["access"]
    for access, username in ((first_access, "first-holder"), (second_access, "second-holder")):
        response = api.get("/api/auth/me/", **bearer(access))
        assert response.status_code == 200 and response.json()["username"] == username
    first.is_active = False
    first.save()
    response = api.get("/api/auth/me/", **bearer(first_access))
    assert_error_shape(response, 401)
    assert response.json()["code"] == "user_inactive"
    second.delete()
    response = api.get("/api/auth/me/", **bearer(second_access))
    assert_error_shape(response, 401)
    assert response.json()["code"] == "user_not_found"
