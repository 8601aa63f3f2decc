"""Fixtures that start real services for the suite: S3 (moto server), SMTP (aiosmtpd),
headless Chromium (Debian's build through Playwright) and Huey consumers.

None of them skips: a service that cannot start fails the test that needs it.
"""

import itertools
import os
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from django.conf import settings as django_settings
from django.db import connection

from proctique.bench.processes import (
    BASE_DIR,
    ManagedProcess,
    SMTPCapture,
    free_port,
    wait_for_port,
)

__all__ = [
    "BASE_DIR",
    "ManagedProcess",
    "SMTPCapture",
    "_smtp_session",
    "browser",
    "free_port",
    "huey_consumer",
    "page",
    "process_env",
    "s3_server",
    "smtp_server",
    "wait_for_port",
]


# --- S3 --------------------------------------------------------------------------------------
@dataclass
class S3Server:
    endpoint_url: str
    bucket: str
    access_key: str = "testing"
    secret_key: str = "testing"  # noqa: S105
    region: str = "us-east-1"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def storages(self, **options) -> dict:
        """A STORAGES setting whose default storage is this bucket (as production sets it)."""
        return {
            **django_settings.STORAGES,
            "default": {
                "BACKEND": "proctique.media_storage.BucketStorage",
                "OPTIONS": {
                    "bucket_name": self.bucket,
                    "endpoint_url": self.endpoint_url,
                    "access_key": self.access_key,
                    "secret_key": self.secret_key,
                    "region_name": self.region,
                    "file_overwrite": False,
                    "querystring_auth": False,
                    "default_acl": "public-read",
                    "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
                    **options,
                },
            },
        }

    def keys(self) -> list[str]:
        response = self.client().list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in response.get("Contents", [])]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server over HTTP on a free loopback port, with a fresh bucket for this run."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    wait_for_port(port)
    s3 = S3Server(endpoint_url=f"http://127.0.0.1:{port}", bucket=f"proctique-test-{port}")
    s3.client().create_bucket(Bucket=s3.bucket)
    yield s3
    server.stop()


# --- SMTP ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _smtp_session() -> Iterator[SMTPCapture]:
    from aiosmtpd.controller import Controller

    capture = SMTPCapture(port=free_port())
    controller = Controller(capture, hostname=capture.host, port=capture.port)
    controller.start()
    yield capture
    controller.stop()


@pytest.fixture
def smtp_server(_smtp_session: SMTPCapture, settings) -> SMTPCapture:
    """The captured SMTP server, wired in as this test's email backend (empty at the start)."""
    _smtp_session.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = _smtp_session.host
    settings.EMAIL_PORT = _smtp_session.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return _smtp_session


# --- Processes sharing the test database ---------------------------------------------------------
def process_env(**overrides: str) -> dict[str, str]:
    """Environment for a child process (consumer, gunicorn) that uses this run's test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "REDIS_URL": django_settings.REDIS_URL,
        "HUEY_NAME": django_settings.HUEY_NAME,
        "SITE_URL": django_settings.SITE_URL,
        "PYTHONUNBUFFERED": "1",
    }
    env.update(overrides)
    return env


@pytest.fixture
def huey_consumer(transactional_db, tmp_path):
    """Factory: start `manage.py run_huey` processes on this run's database and Redis."""
    started: list[ManagedProcess] = []
    numbers = itertools.count()  # next() is atomic: consumers may be started from threads

    def start(workers: int = 1, **env_overrides: str) -> ManagedProcess:
        args = [sys.executable, "manage.py", "run_huey", "--workers", str(workers), "-k", "thread"]
        log = tmp_path / f"huey-{next(numbers)}.log"
        process = ManagedProcess(args, process_env(**env_overrides), log)
        started.append(process)
        deadline = time.monotonic() + 20
        while "consumer" not in process.output().lower() and time.monotonic() < deadline:
            if process.proc.poll() is not None:
                raise RuntimeError(f"run_huey exited early:\n{process.output()}")
            time.sleep(0.1)
        return process

    yield start
    for process in started:
        process.stop()


# --- Chromium -------------------------------------------------------------------------------
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no downloaded browser)."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is not installed: run scripts/ensure-services.sh (make test does)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page; `page.goto("/")` is relative to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()
