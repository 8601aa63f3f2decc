"""Settings come from the environment, with zero-config development defaults."""

import json
import subprocess
import sys

from tests.services import BASE_DIR

PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'), "
    "'health': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'), "
    "'db_options': s.DATABASES['default'].get('OPTIONS'), "
    "'replica_options': s.DATABASES.get('replica_0', {}).get('OPTIONS'), "
    "'cache': s.CACHES['default']['BACKEND'], 'huey': s.HUEY['huey_class'], "
    "'cache_url': s.CACHES['default'].get('LOCATION'), 'huey_url': s.HUEY.get('url'), "
    "'storage': s.STORAGES['default']['BACKEND'], 'email': s.EMAIL_BACKEND, "
    "'tasks': s.TASKS['default']['BACKEND'], 'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
    "'site_url': s.SITE_URL, 'from': s.DEFAULT_FROM_EMAIL}, default=lambda o: o.__name__))"
)

CLEAN = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "proctique.settings"}
# The least a production start needs: its secrets and a PostgreSQL database.
PRODUCTION = {
    "SECRET_KEY": "x" * 60,
    "JWT_SIGNING_KEY": "y" * 60,
    "DATABASE_URL": "postgres://u:p@db.internal:5432/proctique",
}


def run_settings(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env={**CLEAN, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_defaults_need_no_services():
    result = run_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["huey"] == "huey.SqliteHuey"
    assert values["storage"] == "proctique.media_storage.LocalMediaStorage"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["tasks"] == "tasks.backends.OutageTolerantHueyBackend"


def test_production_variables_switch_every_service():
    result = run_settings(
        **PRODUCTION,
        REDIS_URL="redis://cache.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="media-bucket",
        EMAIL_HOST="smtp.internal",
        DEFAULT_FROM_EMAIL="hello@proctique.example",
        ALLOWED_HOSTS="proctique.example,www.proctique.example",
        SITE_URL="https://proctique.example/",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] > 0 and values["health"] is True
    assert values["db_options"] == {
        "server_side_binding": True,
        "prepare_threshold": 5,
        "cursor_factory": "PreparingCursor",
    }
    assert values["cache"] == "proctique.cache_backend.OutageTolerantRedisCache"
    assert values["huey"] == "proctique.huey_storage.BoundedRedisHuey"
    assert values["cache_url"] == values["huey_url"] == "redis://cache.internal:6379/0"
    assert values["storage"] == "proctique.media_storage.BucketStorage"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["debug"] is False
    assert values["hosts"] == ["proctique.example", "www.proctique.example"]
    assert values["site_url"] == "https://proctique.example"
    assert values["from"] == "hello@proctique.example"


def test_prepared_statements_can_be_turned_off_for_primary_and_replicas():
    # Behind a pooler in transaction mode: the driver's defaults, no statement kept.
    pooled = run_settings(
        **PRODUCTION,
        DATABASE_REPLICA_URLS="postgres://u:p@replica.internal:5432/proctique",
        DATABASE_PREPARED_STATEMENTS="false",
    )
    assert pooled.returncode == 0, pooled.stderr
    values = json.loads(pooled.stdout)
    assert values["db_options"] == {}
    assert "server_side_binding" not in values["replica_options"]


def test_cache_and_queue_can_each_have_their_own_redis():
    result = run_settings(
        DEBUG="true",
        REDIS_URL="redis://shared.internal:6379/0",
        CACHE_REDIS_URL="redis://cache.internal:6379/0",
        HUEY_REDIS_URL="redis://queue.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["cache_url"] == "redis://cache.internal:6379/0"
    assert values["huey_url"] == "redis://queue.internal:6379/0"


def test_missing_secret_key_stops_startup_with_one_line():
    result = run_settings(JWT_SIGNING_KEY="y" * 60)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "SECRET_KEY is not set" in last_line


def test_check_deploy_is_clean_with_production_variables():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **CLEAN,
            "SECRET_KEY": "k3y-" + "z" * 60,
            "JWT_SIGNING_KEY": "j" * 60,
            "ALLOWED_HOSTS": "proctique.example",
            "SITE_URL": "https://proctique.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
