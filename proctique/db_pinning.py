"""Read-your-writes with read replicas: clients that have just written read from the primary.

A request that writes (or uses an unsafe method) pins its client to the primary for
REPLICA_PIN_SECONDS, longer than a replica may lag before it is skipped:

- browsers by a signed cookie, which needs no server-side state and so survives a Redis outage;
- API clients, which carry a JWT rather than cookies, by a short-lived Redis key per user. A
  key that cannot be read (Redis down or slow) counts as a pin, so an outage sends API reads to
  the primary instead of to data that may predate the client's own write. A token issued within
  the pin window pins as well: a client that has just signed up or signed in may not exist on
  the replicas yet.

The Wagtail admin always reads from the primary: editors act on the locks, workflow states and
revisions they have just seen.
"""

import functools
import logging
import time
from collections.abc import Callable

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from proctique.db_routing import routing

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
PRIMARY_PATH_PREFIXES = ("/admin/",)
PIN_COOKIE = "db_pin"
PIN_SALT = "proctique.db_pinning"
# A pin lookup must never hold a request up: past this, the request reads from the primary.
REDIS_TIMEOUT = 0.25


class PinStore:
    """Per-user "wrote recently" marks in Redis, for API clients that carry no cookie."""

    def __init__(self, url: str, prefix: str, retry_after: float = 5.0):
        self.prefix = prefix
        self.retry_after = retry_after
        self._down_until = 0.0
        self._redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT,
            socket_timeout=REDIS_TIMEOUT,
            retry=Retry(NoBackoff(), 0),
        )

    def _key(self, user_id: object) -> str:
        return f"{self.prefix}:db-pin:{user_id}"

    def _unavailable(self, exc: Exception) -> None:
        logger.warning("Replica pins unreadable, API reads use the primary: %s", exc)
        self._down_until = time.monotonic() + self.retry_after

    def pin(self, user_id: object, seconds: int) -> None:
        """Send this user's reads to the primary for `seconds`; a failure is only logged."""
        if time.monotonic() < self._down_until:
            return
        try:
            self._redis.set(self._key(user_id), 1, ex=seconds)
        except redis.RedisError as exc:
            self._unavailable(exc)

    def pinned(self, user_id: object) -> bool:
        """Whether this user must read from the primary: pinned, or the pin is unknowable."""
        if time.monotonic() < self._down_until:
            return True
        try:
            return bool(self._redis.exists(self._key(user_id)))
        except redis.RedisError as exc:
            self._unavailable(exc)
            return True


@functools.cache
def pin_store() -> PinStore | None:
    """The process's pin store on REDIS_URL; None without Redis (API reads then stay primary)."""
    if not settings.REDIS_URL:
        return None
    return PinStore(settings.REDIS_URL, settings.HUEY_NAME, settings.REPLICA_CHECK_SECONDS)


def token_claims(request: HttpRequest) -> dict | None:
    """The verified claims of the request's bearer token, or None without a valid one."""
    scheme, _, raw = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme not in jwt_settings.AUTH_HEADER_TYPES or not raw:
        return None
    try:
        return token_backend.decode(raw.strip(), verify=True)
    except TokenBackendError:
        return None


def replica_allowed(request: HttpRequest, claims: dict | None) -> bool:
    """May this request's reads come from a replica (which may lag a few seconds)?"""
    if request.method not in SAFE_METHODS or request.path.startswith(PRIMARY_PATH_PREFIXES):
        return False
    seconds = settings.REPLICA_PIN_SECONDS
    if request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=seconds):
        return False
    if claims is None:
        return True
    if time.time() - claims.get("iat", 0) < seconds:
        return False
    user_id = claims.get(jwt_settings.USER_ID_CLAIM)
    store = pin_store()
    return store is not None and user_id is not None and not store.pinned(user_id)


def pin(response: HttpResponse, claims: dict | None) -> None:
    """Pin the client that sent this request to the primary for REPLICA_PIN_SECONDS."""
    seconds = settings.REPLICA_PIN_SECONDS
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    # The cookie is this client's alone: no shared cache may hand it to others.
    patch_cache_control(response, private=True)
    user_id = claims.get(jwt_settings.USER_ID_CLAIM) if claims else None
    store = pin_store()
    if user_id is not None and store is not None:
        store.pin(user_id, seconds)


class ReplicaRoutingMiddleware:
    """Lets a request's reads use a replica unless its client must see its own writes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        claims = token_claims(request)
        with routing(replica_allowed(request, claims)) as state:
            response = self.get_response(request)
        if state.wrote or request.method not in SAFE_METHODS:
            pin(response, claims)
        return response
