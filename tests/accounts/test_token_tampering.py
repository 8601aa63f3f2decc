"""Tokens that must never authenticate: each is refused with 401 by every JWT-protected route."""

import base64
import json
import time

import jwt
import pytest

from django.conf import settings

from tests.accounts.conftest import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:The HMAC key")]

KEY = settings.SIMPLE_JWT["SIGNING_KEY"]


def b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def payload(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def header(token: str) -> dict:
    return jwt.get_unverified_header(token)


def sign(claims: dict, key: str = KEY, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg)


@pytest.fixture
def pair(user, obtain):
    return obtain(user)


def _mutations(access: str) -> dict[str, str]:
    claims = payload(access)
    now = int(time.time())
    head, body, sig = access.split(".")
    forged_body = b64({**claims, "role": "admin", "user_id": "1"})
    return {
        "expired": sign({**claims, "exp": now - 60, "iat": now - 3600}),
        "tampered_payload": f"{head}.{forged_body}.{sig}",
        "tampered_signature": f"{head}.{body}.{sig[:-4]}AAAA",
        "wrong_key": sign(claims, key="not-the-signing-key-" + "x" * 40),
        "signed_with_secret_key": sign(claims, key=settings.SECRET_KEY),
        "alg_none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}.",
        "alg_none_with_sig": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}.{sig}",
        "alg_hs512": sign(claims, alg="HS512"),
        "wrong_audience": sign({**claims, "aud": "someone-else"}),
        "missing_audience": sign({k: v for k, v in claims.items() if k != "aud"}),
        "wrong_issuer": sign({**claims, "iss": "https://evil.example"}),
        "missing_issuer": sign({k: v for k, v in claims.items() if k != "iss"}),
        "refresh_used_as_access": None,  # filled by the test
        "not_a_jwt": "definitely-not-a-token",
        "empty_segments": "..",
        "garbage_base64": "eyJhbGciOi.!!!.###",
    }


MUTATIONS = [
    "expired",
    "tampered_payload",
    "tampered_signature",
    "wrong_key",
    "signed_with_secret_key",
    "alg_none",
    "alg_none_with_sig",
    "alg_hs512",
    "wrong_audience",
    "missing_audience",
    "wrong_issuer",
    "missing_issuer",
    "refresh_used_as_access",
    "not_a_jwt",
    "empty_segments",
    "garbage_base64",
]


def test_every_mutation_is_listed(pair):
    assert set(_mutations(pair["access"])) == set(MUTATIONS)


@pytest.mark.parametrize("kind", MUTATIONS)
def test_bad_access_tokens_are_401(api, pair, kind):
    token = _mutations(pair["access"])[kind] or pair["refresh"]
    response = api.get("/api/auth/me/", **bearer(token))
    assert response.status_code == 401, (kind, response.content)
    assert set(response.json()) >= {"message", "errors"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("kind", [m for m in MUTATIONS if m != "refresh_used_as_access"])
def test_bad_refresh_tokens_are_401(api, pair, kind):
    token = _mutations(pair["refresh"])[kind]
    response = api.post("/api/auth/token/refresh/", {"refresh": token}, format="json")
    assert response.status_code == 401, (kind, response.content)


def test_access_token_is_not_a_refresh_token(api, pair):
    response = api.post("/api/auth/token/refresh/", {"refresh": pair["access"]}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("kind", [m for m in MUTATIONS if m != "refresh_used_as_access"])
def test_verify_refuses_bad_tokens(api, pair, kind):
    token = _mutations(pair["access"])[kind]
    response = api.post("/api/auth/token/verify/", {"token": token}, format="json")
    assert response.status_code == 401, (kind, response.content)


def test_forged_role_claim_grants_nothing(api, user, pair):
    # Even a correctly signed token cannot raise privileges: rights come from the database.
    claims = payload(pair["access"])
    forged = sign({**claims, "role": "admin"})
    me = api.get("/api/auth/me/", **bearer(forged))
    assert me.status_code == 200
    assert me.json()["role"] == "user"


def test_blacklisted_refresh_is_401(api, pair):
    logout = api.post(
        "/api/auth/logout/", {"refresh": pair["refresh"]}, format="json", **bearer(pair["access"])
    )
    assert logout.status_code == 204
    response = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert response.status_code == 401
    verify = api.post("/api/auth/token/verify/", {"token": pair["refresh"]}, format="json")
    assert verify.status_code == 401


def test_signing_key_is_not_the_secret_key():
    assert settings.SIMPLE_JWT["SIGNING_KEY"] != settings.SECRET_KEY
    assert settings.SIMPLE_JWT["ALGORITHM"] == "HS256"
    assert header(jwt.encode({}, KEY, algorithm="HS256"))["alg"] == "HS256"
