"""Faults of the test's own: a Redis server on a free port that the test can stop, start and
freeze; the test database "restarting"; an S3 server that can be stopped; and the whole site
(gunicorn, a consumer) running on them.

Stopping Redis refuses connections; freezing it (SIGSTOP) keeps the port open but answers
nothing, as a partitioned or stalled server does, so clients wait for their timeouts.
Nothing else on the machine uses them. The process helpers live in proctique.bench.processes,
which the chaos run (`make chaos`) uses too.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from django.db import connection

from proctique.bench.processes import PostgresOutage, RedisServer, Site, redis_and_smtp_env
from tests.services import S3Server, free_port, process_env, wait_for_port


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A fresh, empty redis-server for this test only, running when the test starts."""
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    yield server
    server.stop()


def start_processes(
    redis_server: RedisServer, smtp, logs: Path, consumer: bool, **env: str
) -> Site:
    """The site on the test database and `redis_server`: the cache on its database 0, the
    queue on database 1, email to `smtp`."""
    return Site(
        process_env(**redis_and_smtp_env(redis_server, smtp.host, smtp.port), **env),
        logs,
        consumer=consumer,
    )


@pytest.fixture
def start_site(transactional_db, redis_server, _smtp_session, tmp_path):
    """Factory: start the site's processes (after the test has made its data)."""
    started: list[Site] = []

    def start(*, consumer: bool = True, **env: str) -> Site:
        logs = tmp_path / f"site-{len(started)}"
        logs.mkdir()
        site = start_processes(redis_server, _smtp_session, logs, consumer, **env)
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()


@pytest.fixture
def postgres_outage(transactional_db) -> Iterator[PostgresOutage]:
    """The test database "restarting": connections refused and killed until `up()`."""
    outage = PostgresOutage.for_connection(connection)
    yield outage
    outage.up()


class StoppableS3(S3Server):
    """moto's S3 server on a port of this test's own, that the test can stop and start again.

    moto keeps buckets and objects in this process, so they survive a stop and start.
    """

    def __init__(self):
        port = free_port()
        super().__init__(endpoint_url=f"http://127.0.0.1:{port}", bucket=f"faults-{port}")
        self.port = port
        self._server = None

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        wait_for_port(self.port)

    def stop(self) -> None:
        """From now on the port refuses connections, as an unreachable S3 endpoint does."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def site_env(self) -> dict[str, str]:
        """The environment that points the site's storage at this bucket (docs/storage.md)."""
        return {
            "AWS_STORAGE_BUCKET_NAME": self.bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": self.region,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }


@pytest.fixture
def own_s3() -> Iterator[StoppableS3]:
    """An S3 server and bucket for this test alone (not the session's), running at the start."""
    s3 = StoppableS3()
    s3.start()
    s3.client().create_bucket(Bucket=s3.bucket)
    yield s3
    s3.stop()
