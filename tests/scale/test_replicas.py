"""The app on a real PostgreSQL primary and streaming replica (tests/scale/replicas.py).

gunicorn and a Huey consumer run with DATABASE_URL on the primary and DATABASE_REPLICA_URLS
on the replica. Pausing replay on the replica freezes its data, so a read that misses a fresh
write came from the replica and a read that sees it came from the primary.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests

from django.conf import settings

from proctique.db_pinning import PIN_COOKIE, PinStore
from showcase.demo import DEMO_LOGINS
from tests.scale.replicas import StreamingPair, wait_until
from tests.services import BASE_DIR, ManagedProcess, free_port, process_env, wait_for_port

pytestmark = pytest.mark.slow

PIN_SECONDS = 3
MAX_LAG_SECONDS = 5
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}
EMAILS = {login.username: login.email for login in DEMO_LOGINS}


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


class Web:
    """A gunicorn server of the app on its own loopback port."""

    def __init__(self, env: dict[str, str], log: Path, workers: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        args = [gunicorn, "proctique.wsgi", "-c", "gunicorn.conf.py"]
        self.process = ManagedProcess(args, env, log)
        wait_for_port(self.port, timeout=60)

    def token(self, username: str) -> str:
        response = requests.post(
            f"{self.url}/api/auth/token/",
            json={"email": EMAILS[username], "password": PASSWORDS[username]},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["access"]

    def login(self, username: str) -> requests.Session:
        """A browser session signed in through the site's login form."""
        session = requests.Session()
        session.get(f"{self.url}/accounts/login/", timeout=30).raise_for_status()
        response = session.post(
            f"{self.url}/accounts/login/",
            data={
                "login": EMAILS[username],
                "password": PASSWORDS[username],
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:500]
        return session

    def review_titles(self, project_id: int, token: str | None = None) -> list[str]:
        """The titles of a project's reviews as the API shows them (anonymously by default)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.get(
            f"{self.url}/api/projects/{project_id}/reviews/", headers=headers, timeout=30
        )
        assert response.status_code == 200, response.text
        return [review["title"] for review in response.json()["results"]]

    def post_review(self, token: str, project_id: int) -> str:
        title = f"Replica check {uuid.uuid4().hex[:8]}"
        response = requests.post(
            f"{self.url}/api/projects/{project_id}/reviews/",
            json={"rating": 5, "title": title, "body": f"{title}: written on the primary."},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return title


@dataclass
class App:
    web: Web  # replay lag not checked: a paused replica keeps answering
    lag_checked: Web  # skips the replica once it is more than MAX_LAG_SECONDS behind
    env: dict[str, str]
    projects: list[dict]  # alice's published projects, one per test that reviews
    uma_token: str
    uma_token_issued: float

    def project(self) -> dict:
        return self.projects.pop()

    def aged_uma_token(self) -> str:
        """uma's token, once it is too old to pin her reads to the primary by itself."""
        wait_until(
            lambda: time.time() > self.uma_token_issued + PIN_SECONDS + 1,
            timeout=PIN_SECONDS + 5,
            what="the token leaves the pin window",
        )
        return self.uma_token


@pytest.fixture(scope="module")
def pair():
    pair = StreamingPair()
    try:
        yield pair.start()
    finally:
        pair.close()


@pytest.fixture(scope="module")
def app(pair, s3_server, _smtp_session, tmp_path_factory):
    """Migrated and seeded on the primary, served by gunicorn, emails sent by a consumer."""
    logs = tmp_path_factory.mktemp("replicas")
    env = process_env(
        DATABASE_URL=pair.primary.url(),
        DATABASE_REPLICA_URLS=pair.replica.url(),
        REPLICA_PIN_SECONDS=str(PIN_SECONDS),
        REPLICA_CHECK_SECONDS="1",
        REPLICA_MAX_LAG_SECONDS="0",
        HUEY_NAME=f"proctique-replicas-{pair.primary.port}",
        AWS_STORAGE_BUCKET_NAME=s3_server.bucket,
        AWS_S3_ENDPOINT_URL=s3_server.endpoint_url,
        AWS_ACCESS_KEY_ID=s3_server.access_key,
        AWS_SECRET_ACCESS_KEY=s3_server.secret_key,
        AWS_S3_REGION_NAME=s3_server.region,
        EMAIL_HOST=_smtp_session.host,
        EMAIL_PORT=str(_smtp_session.port),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        GUNICORN_ACCESS_LOG="",
        # Each read must reach a database to show which one answered: no page caches.
        PAGE_CACHE_SECONDS="0",
        FRAGMENT_CACHE_SECONDS="0",
        THROTTLE_REVIEWS="1000/min",
        THROTTLE_AUTH="1000/min",
        REVIEWS_POSTS_PER_HOUR="1000",
    )
    # With the replica configured: a migration or seed write routed there would fail.
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    pair.wait_caught_up()
    started: list[ManagedProcess] = []
    try:
        web = Web(env, logs / "web.log", workers=2)
        started.append(web.process)
        lag_env = {**env, "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS)}
        lag_checked = Web(lag_env, logs / "web-lag.log", workers=1)
        started.append(lag_checked.process)
        consumer_args = [sys.executable, "manage.py", "run_huey", "--workers", "2", "-k", "thread"]
        started.append(ManagedProcess(consumer_args, env, logs / "huey.log"))
        listing = requests.get(f"{web.url}/api/projects/?page_size=100", timeout=60)
        assert listing.status_code == 200, listing.text
        projects = [p for p in listing.json()["results"] if p["author"]["username"] == "alice"]
        issued = time.time()
        yield App(web, lag_checked, env, projects, web.token("uma"), issued)
    finally:
        for process in started:
            process.stop()


@pytest.fixture
def live(app, pair):
    """The app, with the replica running, replaying and caught up at the start of the test."""
    if not pair.replica.running():
        pair.replica.start()
    pair.resume_replay()
    pair.wait_caught_up()
    return app


def replica_has_review(pair: StreamingPair, title: str) -> bool:
    return pair.replica.value("SELECT count(*) FROM reviews_review WHERE title = %s", (title,)) > 0


def test_migrations_and_writes_stay_on_the_primary(live, pair):
    assert "No migrations to apply" in manage(live.env, "migrate", "--noinput")
    assert "No migrations to apply" in manage(
        live.env, "migrate", "--noinput", "--database", "replica_0"
    )
    # The replica holds the schema only by replication, and refuses writes of its own.
    migrations = "SELECT count(*) FROM django_migrations"
    assert pair.replica.value(migrations) == pair.primary.value(migrations) > 100
    assert pair.replica.value("SELECT pg_is_in_recovery()") is True
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        pair.replica.query("CREATE TABLE written_on_the_replica (id int)")


def test_anonymous_reads_come_from_the_replica_and_writers_read_their_own_writes(live, pair):
    web, project = live.web, live.project()
    token = live.aged_uma_token()
    bob = web.login("bob")
    pair.wait_caught_up()  # bob's session exists on the replica too
    pair.pause_replay()

    uma_title = web.post_review(token, project["id"])
    assert uma_title in web.review_titles(project["id"], token)
    assert uma_title not in web.review_titles(project["id"])
    assert not replica_has_review(pair, uma_title)

    page = urlsplit(project["url"]).path
    posted = bob.post(
        f"{web.url}/reviews/projects/{project['id']}/review/",
        data={
            "rating": "4",
            "title": "Bob was here",
            "body": "A browser review, read back at once.",
            "csrfmiddlewaretoken": bob.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )
    assert posted.status_code == 302, posted.text[:500]
    assert PIN_COOKIE in bob.cookies
    assert "Bob was here" in bob.get(f"{web.url}{page}", timeout=30).text
    # The same browser without its pin cookie is still signed in, but reads the replica.
    unpinned = requests.Session()
    unpinned.cookies.set(settings.SESSION_COOKIE_NAME, bob.cookies[settings.SESSION_COOKIE_NAME])
    stale = unpinned.get(f"{web.url}{page}", timeout=30)
    assert stale.status_code == 200
    assert "Sign out" in stale.text
    assert "Bob was here" not in stale.text
    assert "Bob was here" not in requests.get(f"{web.url}{page}", timeout=30).text

    # Once the pin has run out uma reads from the replica again, which still lacks her review.
    wait_until(
        lambda: uma_title not in web.review_titles(project["id"], token),
        timeout=PIN_SECONDS + 10,
        what="uma's reads go back to the replica",
    )

    pair.resume_replay()
    pair.wait_caught_up()
    titles = web.review_titles(project["id"])
    assert uma_title in titles
    assert "Bob was here" in titles


def test_a_new_account_can_use_its_token_while_the_replica_lags(live, pair):
    web = live.web
    pair.pause_replay()
    name = f"fresh{uuid.uuid4().hex[:8]}"
    email = f"{name}@example.test"
    registered = requests.post(
        f"{web.url}/api/auth/register/",
        json={"email": email, "username": name, "password": "a-long-pass-phrase-42"},
        timeout=30,
    )
    assert registered.status_code == 201, registered.text
    me = requests.get(
        f"{web.url}/api/auth/me/",
        headers={"Authorization": f"Bearer {registered.json()['access']}"},
        timeout=30,
    )
    assert me.status_code == 200, me.text
    assert me.json()["email"] == email
    assert pair.replica.value("SELECT count(*) FROM accounts_user WHERE email = %s", (email,)) == 0


def test_tasks_and_commands_read_from_the_primary(live, pair, _smtp_session):
    web, project = live.web, live.project()
    _smtp_session.clear()
    pair.pause_replay()
    title = web.post_review(live.aged_uma_token(), project["id"])
    subject = f"New 5-star review of {project['title']}"
    # The consumer finds the outbox row that only the primary has yet, and sends the email.
    wait_until(
        lambda: any(str(m["Subject"]) == subject for m in _smtp_session.messages),
        timeout=30,
        what="the new-review email arrives",
    )
    # So does a management command.
    count = (
        f"from reviews.models import Review; print(Review.objects.filter(title={title!r}).count())"
    )
    assert manage(live.env, "shell", "-c", count).splitlines()[-1] == "1"
    assert not replica_has_review(pair, title)


def test_a_replica_too_far_behind_is_skipped_until_it_catches_up(live, pair):
    web, token = live.lag_checked, live.aged_uma_token()

    def paused_after_a_fresh_commit() -> None:
        # The lag clock runs from the last transaction replayed: start it now.
        pair.primary.query("SELECT txid_current()")
        pair.wait_caught_up()
        pair.pause_replay()

    project = live.project()
    paused_after_a_fresh_commit()
    title = web.post_review(token, project["id"])
    assert title not in web.review_titles(project["id"])  # a few seconds behind: still used
    wait_until(
        lambda: title in web.review_titles(project["id"]),
        timeout=MAX_LAG_SECONDS + 10,
        what="anonymous reads move to the primary",
    )
    assert not replica_has_review(pair, title)
    assert "behind (limit" in web.process.output()

    pair.resume_replay()
    pair.wait_caught_up()
    project = live.project()
    paused_after_a_fresh_commit()
    title = web.post_review(token, project["id"])
    wait_until(
        lambda: title not in web.review_titles(project["id"]),
        timeout=MAX_LAG_SECONDS,
        what="anonymous reads come from the caught-up replica again",
    )


def test_reads_fall_back_to_the_primary_while_the_replica_is_down(live, pair):
    web, token = live.web, live.aged_uma_token()
    project = live.project()
    pair.pause_replay()
    title = web.post_review(token, project["id"])
    assert title not in web.review_titles(project["id"])

    pair.replica.stop()
    for _ in range(6):  # enough for both workers to meet the stopped replica
        started = time.monotonic()
        assert title in web.review_titles(project["id"])
        assert time.monotonic() - started < 10  # generous: falling back must not hang
    page = requests.get(f"{web.url}{urlsplit(project['url']).path}", timeout=30)
    assert page.status_code == 200
    assert title in page.text
    assert "Replica replica_0 unavailable" in web.process.output()

    pair.replica.start()
    pair.wait_caught_up()
    project = live.project()
    pair.pause_replay()
    title = web.post_review(token, project["id"])
    wait_until(
        lambda: title not in web.review_titles(project["id"]),
        timeout=15,
        what="anonymous reads come from the restarted replica again",
    )


def test_replicas_are_configured_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_REPLICA_URLS": "postgres://reader@replica-a:5432/p,postgres://reader@replica-b/p",
        "REPLICA_CONNECT_TIMEOUT": "3",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'replicas': s.DATABASE_REPLICAS, 'routers': s.DATABASE_ROUTERS, "
        "'first': s.MIDDLEWARE[0], 'hosts': [s.DATABASES[a]['HOST'] for a in s.DATABASE_REPLICAS],"
        " 'test': s.DATABASES['replica_1']['TEST']['MIRROR'], "
        "'options': s.DATABASES['replica_0']['OPTIONS']}, default=lambda o: o.__name__))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    configured = json.loads(done.stdout)
    assert configured == {
        "replicas": ["replica_0", "replica_1"],
        "routers": ["proctique.db_routing.ReplicaRouter"],
        "first": "proctique.db_pinning.ReplicaRoutingMiddleware",
        "hosts": ["replica-a", "replica-b"],
        "test": "default",
        "options": {
            "server_side_binding": True,
            "prepare_threshold": 5,
            "cursor_factory": "PreparingCursor",
            "connect_timeout": 3,
            "options": "-c default_transaction_read_only=on",
        },
    }
    # This suite's own settings have no replicas: no router, no routing middleware.
    assert settings.DATABASE_REPLICAS == []
    assert "proctique.db_pinning.ReplicaRoutingMiddleware" not in settings.MIDDLEWARE


# --- Pins of API clients in Redis ------------------------------------------------------------
def test_a_pin_holds_for_its_user_and_then_expires():
    store = PinStore(settings.REDIS_URL, prefix=f"pins-{uuid.uuid4().hex}")
    store.pin(7, seconds=1)
    assert store.pinned(7)
    assert not store.pinned(8)
    wait_until(lambda: not store.pinned(7), timeout=5, what="the pin expires")


def test_a_pin_that_cannot_be_read_sends_reads_to_the_primary():
    store = PinStore(f"redis://127.0.0.1:{free_port()}/0", prefix="pins")  # nothing listens
    store.pin(7, seconds=10)  # logged, not raised: the write itself has succeeded
    assert store.pinned(7)
    assert store.pinned(8)


def test_a_hung_redis_costs_a_pin_lookup_a_fraction_of_a_second(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        store = PinStore(f"redis://127.0.0.1:{port}/0", prefix="pins", retry_after=60)
        assert not store.pinned(7)
        server.send_signal(signal.SIGSTOP)  # accepts connections, never answers
        started = time.monotonic()
        assert store.pinned(7)
        assert time.monotonic() - started < 3  # generous bound: the lookup does not hang
        server.send_signal(signal.SIGCONT)
        # Redis answers again, but the store remembers the outage instead of waiting on
        # every request meanwhile; a store that has seen no outage reads the pin.
        assert store.pinned(8)
        assert not PinStore(f"redis://127.0.0.1:{port}/0", prefix="pins").pinned(8)
    finally:
        server.send_signal(signal.SIGCONT)  # a stopped process acts on no SIGTERM
        server.terminate()
        server.wait(10)
