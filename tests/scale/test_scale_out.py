"""Two gunicorn instances and two Huey consumers sharing PostgreSQL, Redis and the S3 server.

Everything a user does must work whichever instance answers, and no email may be lost or
doubled when the work is spread over several consumers, even when one of them stops.
"""

import io
import signal
import sys
import time

import pytest
import requests
from PIL import Image as PILImage

from wagtail.images import get_image_model

from accounts.factories import DEFAULT_PASSWORD, AuthorFactory, UserFactory
from showcase import renditions
from showcase.factories import ProjectPageFactory
from tasks.models import EmailEvent
from tests.scale.replicas import wait_until
from tests.services import ManagedProcess, free_port, process_env, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


class Instance:
    """One gunicorn server (two workers) of the app, on its own loopback port."""

    def __init__(self, env: dict[str, str], log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = sys.executable.replace("/python", "/gunicorn")
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "2"}
        args = [gunicorn, "proctique.wsgi", "-c", "gunicorn.conf.py"]
        self.process = ManagedProcess(args, env, log)
        wait_for_port(self.port, timeout=60)

    def session(self) -> requests.Session:
        return requests.Session()

    def login(self, session: requests.Session, email: str) -> None:
        """Sign in through the site's login form, CSRF token and all."""
        session.get(f"{self.url}/accounts/login/", timeout=30).raise_for_status()
        response = session.post(
            f"{self.url}/accounts/login/",
            data={
                "login": email,
                "password": DEFAULT_PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:500]

    def post_form(self, session: requests.Session, path: str, data: dict) -> requests.Response:
        return session.post(
            f"{self.url}{path}",
            data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=30,
        )

    def token(self, email: str) -> str:
        response = requests.post(
            f"{self.url}/api/auth/token/",
            json={"email": email, "password": DEFAULT_PASSWORD},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["access"]


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, s3_server, _smtp_session, tmp_path_factory):
    """Two web instances and two consumers on one database, one Redis, one bucket."""
    logs = tmp_path_factory.mktemp("cluster")
    with django_db_blocker.unblock():
        env = process_env(
            AWS_STORAGE_BUCKET_NAME=s3_server.bucket,
            AWS_S3_ENDPOINT_URL=s3_server.endpoint_url,
            AWS_ACCESS_KEY_ID=s3_server.access_key,
            AWS_SECRET_ACCESS_KEY=s3_server.secret_key,
            AWS_S3_REGION_NAME=s3_server.region,
            EMAIL_HOST=_smtp_session.host,
            EMAIL_PORT=str(_smtp_session.port),
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            GUNICORN_ACCESS_LOG="",
        )
    web = [Instance(env, logs / f"web-{i}.log") for i in range(2)]
    consumers = [
        ManagedProcess(
            [sys.executable, "manage.py", "run_huey", "--workers", "2", "-k", "thread"],
            env,
            logs / f"huey-{i}.log",
        )
        for i in range(2)
    ]
    yield {"web": web, "consumers": consumers, "smtp": _smtp_session}
    for process in [*consumers, *(instance.process for instance in web)]:
        process.stop()


@pytest.fixture
def smtp(cluster):
    cluster["smtp"].clear()
    return cluster["smtp"]


def png_bytes(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_token_from_one_instance_works_on_the_other(cluster, site_pages):
    a, b = cluster["web"]
    user = UserFactory()
    access = a.token(user.email)
    me = requests.get(
        f"{b.url}/api/auth/me/", headers={"Authorization": f"Bearer {access}"}, timeout=30
    )
    assert me.status_code == 200, me.text
    assert me.json()["email"] == user.email


def test_session_started_on_one_instance_is_valid_on_the_other(cluster, site_pages):
    a, b = cluster["web"]
    user = UserFactory(display_name="Sam Session")
    session = a.session()
    a.login(session, user.email)
    settings_page = session.get(f"{b.url}/accounts/settings/", allow_redirects=False, timeout=30)
    assert settings_page.status_code == 200
    assert "Sam Session" in settings_page.text
    anonymous = requests.get(f"{b.url}/accounts/settings/", allow_redirects=False, timeout=30)
    assert anonymous.status_code == 302


def test_image_uploaded_through_one_is_served_by_the_other_from_s3(cluster, site_pages, s3_server):
    a, b = cluster["web"]
    author = AuthorFactory()
    access = a.token(author.email)
    upload = requests.post(
        f"{a.url}/api/images/",
        files={"file": ("scaled.png", png_bytes(), "image/png")},
        data={"title": "Scaled"},
        headers={"Authorization": f"Bearer {access}"},
        timeout=60,
    )
    assert upload.status_code == 201, upload.text
    image = upload.json()
    other_view = requests.get(
        f"{b.url}/api/images/{image['id']}/",
        headers={"Authorization": f"Bearer {b.token(author.email)}"},
        timeout=30,
    )
    assert other_view.status_code == 200, other_view.text
    url = other_view.json()["url"]
    assert url.startswith(f"{s3_server.endpoint_url}/{s3_server.bucket}/original_images/")
    served = requests.get(url, timeout=30)
    assert served.status_code == 200
    assert served.content == png_bytes()
    stored = s3_server.keys()
    assert any(key.startswith("original_images/scaled") for key in stored)
    # A consumer makes the renditions after the upload: wait for them, so that the database is
    # not emptied for the next test while it still writes them.
    renditions_made = get_image_model().get_rendition_model().objects.filter(image_id=image["id"])
    wait_until(
        lambda: renditions_made.count() == len(renditions.all_specs()),
        timeout=60,
        what="every rendition of the uploaded image",
    )


def test_reviews_on_both_instances_email_once_each_while_a_consumer_stops(
    cluster, site_pages, smtp
):
    a, b = cluster["web"]
    owner = AuthorFactory()
    projects = [ProjectPageFactory(owner=owner) for _ in range(8)]
    reviewers = [UserFactory() for _ in range(8)]
    sessions = []
    for i, reviewer in enumerate(reviewers):
        instance = (a, b)[i % 2]
        session = instance.session()
        instance.login(session, reviewer.email)
        sessions.append((instance, session))

    for i, (project, (instance, session)) in enumerate(zip(projects, sessions, strict=True)):
        if i == 4:
            # Half-way through, one consumer is stopped the way operators stop it (SIGINT):
            # it finishes what it holds and the other consumer takes the rest of the queue.
            cluster["consumers"][0].stop(signal.SIGINT)
        response = instance.post_form(
            session,
            f"/reviews/projects/{project.pk}/review/",
            {"rating": "5", "title": f"Review {i}", "body": f"Scaled-out review number {i}."},
        )
        assert response.status_code == 302, response.text[:500]

    # Publishing the projects also sent one "is live" email each; count the review emails.
    def review_emails():
        return [m for m in smtp.messages if "review of" in str(m["Subject"])]

    deadline = time.monotonic() + 60
    while len(review_emails()) < len(projects) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)  # a duplicate, if any, would arrive right behind
    subjects = sorted(str(m["Subject"]) for m in review_emails())
    assert len(subjects) == len(projects)
    assert subjects == sorted(f"New 5-star review of {p.title}" for p in projects)
    assert all(owner.email in str(m["To"]) for m in review_emails())
    assert EmailEvent.objects.filter(kind="new_review", status="sent").count() == len(projects)
