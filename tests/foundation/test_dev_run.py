"""`make run` as a developer uses it: the real Makefile target on a throw-away SQLite database,
SqliteHuey file and media folder, in a terminal of its own.

The demo is seeded once for the module (at the default port 8000), and every test copies it,
so each run also proves that a database seeded for another port follows the new PORT.
"""

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, build_opener

import pytest

from tests.foundation.make_run import PYTHON, DevRun, dev_env, wait_for
from tests.services import BASE_DIR, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A migrated and seeded SQLite database, queue file and media folder, made once.

    The seed's background work (Wagtail's indexes, the "project published" emails) runs as it
    is made, so no run inherits a backlog of hundreds of tasks.
    """
    root = tmp_path_factory.mktemp("seeded")
    env = dev_env(
        root / "var",
        root / "media",
        DEBUG="true",
        LOG_LEVEL="WARNING",
        HUEY_IMMEDIATE="true",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "-v0"]):
        subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, timeout=240
        )
    return root


@pytest.fixture
def dev_run(seeded, tmp_path) -> Iterator:
    """Factory: `make run` on a copy of the seeded demo, on a free port."""
    runs: list[DevRun] = []

    def start(**env: str) -> DevRun:
        home = tmp_path / f"run-{len(runs)}"
        shutil.copytree(seeded, home)
        run = DevRun(home, free_port(), **env)
        runs.append(run)
        run.wait_until_serving()
        return run

    yield start
    for run in runs:
        run.close()


def test_links_use_the_port_of_make_run_and_ctrl_c_stops_everything(dev_run):
    run = dev_run()
    base = run.base_url

    assert f"Sitemap: {base}/sitemap.xml" in run.get("/robots.txt")
    locations = re.findall(r"<loc>([^<]+)</loc>", run.get("/sitemap.xml"))
    assert len(locations) > 10
    assert [loc for loc in locations if not loc.startswith(f"{base}/")] == []
    feed = run.get("/projects/feed/")
    feed_links = re.findall(r"<(?:link|guid[^>]*)>([^<]+)</", feed)
    assert len(feed_links) > 10
    assert [link for link in feed_links if not link.startswith(f"{base}/")] == []
    assert f'<link rel="canonical" href="{base}/">' in run.get("/")

    # The password-reset email is sent by the consumer; its link opens the reset form.
    status, _, _ = run.request(
        "POST", "/api/auth/password-reset/", body={"email": "uma@proctique.test"}
    )
    assert status == 202
    # (the demo's own "project published" emails are in the same folder)
    (message,) = wait_for(
        lambda: [m for m in run.mails() if "uma@proctique.test" in str(m["To"])],
        30,
        "no email to uma was written",
    )
    text = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = re.findall(r"https?://\S+/accounts/password/reset/key/\S+", text)
    assert link.startswith(f"{base}/")
    browser = build_opener(HTTPCookieProcessor(CookieJar()))  # allauth keeps the key in a session
    with browser.open(link, timeout=10) as response:
        assert response.status == 200
        assert 'name="password1"' in response.read().decode()

    processes = run.processes()
    commands = " | ".join(processes.values())
    assert "run_huey" in commands
    assert "runserver" in commands

    run.interrupt()
    still_running = run.wait_gone(timeout=10)

    assert still_running == {}, f"still running after Ctrl-C:\n{run.output()[-3000:]}"


def test_console_prints_each_record_once_and_no_task_chatter(dev_run):
    run = dev_run()
    run.get("/")
    run.get("/projects/")
    # A Wagtail background task that fails in the consumer (the page it indexes is gone).
    subprocess.run(  # noqa: S603
        [
            PYTHON,
            "manage.py",
            "shell",
            "-v0",
            "-c",
            "from wagtail.tasks import update_reference_index_task as t; "
            "t.enqueue('wagtailcore', 'page', 987654321)",
        ],
        cwd=BASE_DIR,
        env=dev_env(run.var_dir, run.var_dir.parent / "media", DEBUG="true"),
        check=True,
        timeout=60,
    )
    wait_for(lambda: "matching query does not exist" in run.output(), 20, "no failed task")
    # The terminal shows writes in order: once the server has logged this later request,
    # everything the consumer printed about the failure is in the output too.
    status, _, _ = run.request("GET", "/no-such-page/")
    assert status == 404
    wait_for(lambda: "Not Found: /no-such-page/" in run.output(), 10, "no 404 logged")
    output = run.output()

    assert output.count("Traceback (most recent call last)") == 1, output[-4000:]
    assert output.count("Not Found: /no-such-page/") == 1, output[-4000:]
    assert "state=RUNNING" not in output
    assert "state=SUCCESSFUL" not in output
    assert "Executing " not in output
    # Start-up banner, logins, request lines, one traceback: a screenful, not hundreds.
    assert len(output.splitlines()) < 80, output


def test_log_level_reaches_the_server_and_the_consumer(dev_run):
    run = dev_run(LOG_LEVEL="WARNING", TASK_LOG_LEVEL="INFO")
    run.get("/")
    wait_for(lambda: "Huey consumer started" in run.output(), 20, "the consumer said nothing")
    output = run.output()

    assert output.count("Huey consumer started") == 1, output[-4000:]
    assert '"GET / HTTP/1.1" 200' not in output


def test_writes_beside_a_busy_consumer_never_fail(dev_run):
    """Publishing and helpful votes while the consumer writes to the same SQLite file: every
    publish queues Wagtail's reference and search index tasks, and every vote a cache purge."""
    run = dev_run()
    admin = run.token("admin@proctique.test", "demo-admin-pass")
    uma = run.token("uma@proctique.test", "demo-user-pass")
    projects = json.loads(run.request("GET", "/api/projects/?page_size=3")[2])["results"]
    ids = [project["id"] for project in projects]
    status, _, text = run.request(
        "POST",
        f"/api/projects/{ids[0]}/reviews/",
        token=uma,
        body={"rating": 4, "title": "Works well", "body": "Set it up in ten minutes, no fuss."},
    )
    assert status == 201, text
    review = json.loads(text)["id"]

    def publish(round_number: int) -> tuple[str, int, str]:
        project = ids[round_number % len(ids)]
        status, content_type, _ = run.request(
            "POST", f"/api/projects/{project}/publish/", token=admin
        )
        return "publish", status, content_type

    def helpful(round_number: int) -> tuple[str, int, str]:
        method = "POST" if round_number % 2 == 0 else "DELETE"
        # The admin owns no demo project (owners may not vote on reviews of their own).
        path = f"/api/reviews/{review}/helpful/"
        status, content_type, _ = run.request(method, path, token=admin)
        return "helpful", status, content_type

    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(publish, n) for n in range(12)]
        futures += [pool.submit(helpful, n) for n in range(24)]
        results = [future.result(timeout=60) for future in futures]

    failures = [result for result in results if result[1] != 200]
    assert failures == [], f"{failures}\n{run.output()[-4000:]}"
    assert "database is locked" not in run.output()


def test_the_host_of_site_url_is_an_allowed_host(tmp_path):
    # `make run HOST=192.168.1.20` derives SITE_URL from it; the server must accept that host.
    probe = "import django; from django.conf import settings; django.setup(); "
    probe += "print(' '.join(settings.ALLOWED_HOSTS))"
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", probe],
        cwd=BASE_DIR,
        env=dev_env(
            tmp_path / "var",
            tmp_path / "media",
            DJANGO_SETTINGS_MODULE="proctique.settings",
            DEBUG="true",
            SITE_URL="http://192.168.1.20:8123",
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert set(result.stdout.split()) == {"192.168.1.20", "localhost", "127.0.0.1", "[::1]"}
