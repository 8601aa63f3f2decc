"""Test settings: the production settings module, pointed at real local services.

Every value can be overridden from the environment, so parallel runs can use their own
database and Redis numbers.
"""

import os

_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
_redis_db = int(os.environ.get("TEST_REDIS_DB_BASE", "1")) + int(_worker or 0)


def _per_worker(name: str, value: str) -> None:
    """Set `name` unless it was given from outside.

    The controller of a pytest-xdist run loads these settings before it starts its workers, and
    they inherit its environment: a value this module chose is chosen again in each worker (so
    two workers never share a cache or a queue); one given from outside is kept.
    """
    marker = f"PROCTIQUE_TEST_CHOSEN_{name}"
    if os.environ.get(name) in (None, os.environ.get(marker)):
        os.environ[name] = os.environ[marker] = value


_per_worker("REDIS_URL", f"redis://127.0.0.1:6379/{_redis_db}")
_per_worker("HUEY_NAME", f"proctique-test-{_redis_db}")

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("JWT_SIGNING_KEY", "test-jwt-signing-key-not-for-production-0123456789")
os.environ.setdefault("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/proctique")
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Most tests sign users in straight after sign-up; the mandatory-verification flow (the
# production default) is tested with the `settings` fixture.
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "optional")
# The whole-response cache would answer most requests of a test from Redis, hiding what the
# code does; the tests of the cache itself turn it on with the `settings` fixture.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
# The queue tests read the consumers' per-task lines ("Executing ..."), quiet by default.
os.environ.setdefault("TASK_LOG_LEVEL", "INFO")

from proctique.settings import *  # noqa: E402, F403

# Hashing passwords at full strength would dominate the suite's run time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
