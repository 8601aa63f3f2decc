"""Counting project visits and outbound clicks: exact for a scripted sequence, privacy first
(no address or user agent stored, a daily salt, DNT/GPC and bots not counted, makers not
counted), nothing written to the database on the request path, idempotent daily flush."""

from datetime import datetime, time, timedelta

import pytest

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import AdminFactory, UserFactory
from insights import counting
from insights.models import ProjectDay
from showcase.factories import ProjectPageFactory
from showcase.models import ProjectMember

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def beacon(client, project, address="203.0.113.7", agent=FIREFOX, **headers):
    response = client.post(
        "/insights/view/",
        {"project": str(project.pk)},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
        **headers,
    )
    assert response.status_code == 204
    return response


def go(client, project, kind, address="203.0.113.7", agent=FIREFOX, **headers):
    return client.get(
        f"/go/{project.pk}/{kind}/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent, **headers
    )


def today_row(project) -> ProjectDay:
    counting.flush()
    return ProjectDay.objects.get(project=project, day=timezone.localdate())


@pytest.fixture
def linked(project):
    project.repository_url = "https://git.example.org/harbor"
    project.demo_url = "https://demo.example.org/"
    project.website_url = ""
    project.save_revision().publish()
    return project


def test_a_scripted_sequence_of_visits_counts_each_visitor_once(client, project, author, admin):
    other = ProjectPageFactory(owner=author)
    reader = UserFactory()
    maker = UserFactory()
    ProjectMember.objects.create(project=project, user=maker, status="active")

    beacon(client, project)  # visitor A
    beacon(client, project)  # A again the same day: not a second visitor
    beacon(client, other)  # A on another project counts there, not here
    beacon(client, project, address="198.51.100.20")  # visitor B
    beacon(client, project, address="203.0.113.7", agent=SAFARI)  # C: same address, another browser
    beacon(client, project, address="198.51.100.30", HTTP_DNT="1")  # Do Not Track
    beacon(client, project, address="198.51.100.31", HTTP_SEC_GPC="1")  # Global Privacy Control
    beacon(client, project, address="66.249.66.1", agent=GOOGLEBOT)  # a crawler
    for person in (author, maker, admin):  # the project's makers and admins, signed in
        client.force_login(person)
        beacon(client, project, address="192.0.2.50")
    client.force_login(reader)  # someone else signed in counts
    beacon(client, project, address="192.0.2.60")

    assert today_row(project).visitors == 4
    assert today_row(other).visitors == 1


def test_outbound_links_redirect_and_count_every_click(client, linked, author):
    first = go(client, linked, "repository")
    assert first.status_code == 302 and first["Location"] == "https://git.example.org/harbor"
    go(client, linked, "repository", address="198.51.100.20")
    assert go(client, linked, "demo")["Location"] == "https://demo.example.org/"
    assert go(client, linked, "demo", HTTP_DNT="1").status_code == 302  # followed, not counted
    assert go(client, linked, "demo", agent=GOOGLEBOT).status_code == 302
    client.force_login(author)
    assert go(client, linked, "repository").status_code == 302  # the owner: not counted

    row = today_row(linked)
    assert (row.repository_clicks, row.demo_clicks, row.website_clicks) == (2, 1, 0)


def test_outbound_refuses_links_a_project_does_not_have(client, linked, author):
    assert go(client, linked, "website").status_code == 404  # no website link
    assert go(client, linked, "elsewhere").status_code == 404
    draft = ProjectPageFactory(owner=author, live=False, repository_url="https://x.example/")
    assert go(client, draft, "repository").status_code == 404
    assert not ProjectDay.objects.exists() and counting.flush() == 0


def test_a_beacon_for_a_draft_or_garbage_counts_nothing(client, project_index, author):
    draft = ProjectPageFactory(owner=author, live=False)
    beacon(client, draft)
    for junk in ("", "abc", "١٢", "-1", "99999999"):
        assert client.post("/insights/view/", {"project": junk}).status_code == 204
    assert client.get("/insights/view/").status_code == 405
    assert counting.flush() == 0


def test_no_address_or_user_agent_is_stored_anywhere(client, project):
    beacon(client, project, address="203.0.113.77", agent="Mozilla/5.0 UniqueAgent/1.0")
    redis = counting._redis()
    stored = b"".join(
        key + b"".join(redis.smembers(key) if redis.type(key) == b"set" else [])
        for key in redis.keys(f"{settings.HUEY_NAME}:insights:*")
    )
    assert stored, "the visit was counted somewhere"
    assert b"203.0.113.77" not in stored and b"UniqueAgent" not in stored
    counting.flush()
    columns = {field.column for field in ProjectDay._meta.concrete_fields}
    assert columns == {
        "id", "project_id", "day", "visitors", "repository_clicks", "demo_clicks", "website_clicks"
    }  # fmt: skip


def test_the_daily_salt_is_thrown_away_when_the_day_ends(client, project):
    beacon(client, project)
    redis = counting._redis()
    today = timezone.localdate()
    salt = f"{settings.HUEY_NAME}:insights:salt:{today.isoformat()}"
    end_of_day = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    left = (end_of_day - timezone.now()).total_seconds()
    assert 0 < redis.ttl(salt) <= left + 61


def test_the_flush_is_idempotent_and_skips_deleted_projects(client, project, author):
    gone = ProjectPageFactory(owner=author)
    beacon(client, project)
    beacon(client, gone)
    gone.delete()
    assert counting.flush() == 1
    assert counting.flush() == 1
    assert ProjectDay.objects.get().visitors == 1
    beacon(client, project, address="198.51.100.20")
    counting.flush()
    assert ProjectDay.objects.get().visitors == 2


def test_counting_writes_nothing_to_the_database_on_the_request_path(client, linked):
    client.get(linked.url)  # warm
    for request in (
        lambda: client.get(linked.url),
        lambda: beacon(client, linked),
        lambda: go(client, linked, "repository"),
    ):
        with CaptureQueriesContext(connection) as queries:
            request()
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert writes == []
    assert today_row(linked).visitors == 1


def test_the_project_page_sends_the_beacon_and_routes_links_through_go(client, linked):
    html = client.get(linked.url).content.decode()
    assert f'data-insights-project="{linked.pk}"' in html
    assert "/static/js/insights.js" in html
    assert f'href="/go/{linked.pk}/repository/"' in html
    assert "https://git.example.org/harbor" not in html.split("<main", 1)[1].split("</main>")[0]


def test_the_privacy_page_says_what_is_counted(client, site_pages):
    html = client.get("/privacy/").content.decode()
    for words in ("No IP address", "Do Not Track", "Global Privacy Control", "bots", "random key"):
        assert words in html
    assert 'href="/privacy/"' in client.get("/").content.decode()


def test_admins_are_not_counted_on_any_project(client, project):
    client.force_login(AdminFactory())
    beacon(client, project)
    assert counting.flush() == 0
