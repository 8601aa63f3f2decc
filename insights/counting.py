"""Counting visits and outbound clicks, privacy first and off the page's request path.

- A cached project page is served without running any of our code, so the page itself counts
  nothing: a small beacon request (static/js/insights.js, `POST /insights/view/`) does.
- Not counted: requests with `DNT: 1` or `Sec-GPC: 1`, known bots (by user agent), and the
  project's own makers and admins signed in.
- A visitor counts once per project per day: the beacon adds `sha256(daily salt, address, user
  agent, project)` to a set in Redis. The salt is random, made for the day and dropped after it,
  so yesterday's hashes can never be linked to today's or back to an address. Neither the address
  nor the user agent is stored anywhere.
- A periodic task (insights.tasks) flushes the day's set sizes and click counters into
  `ProjectDay` rows in PostgreSQL; Redis holds only the current and previous day.
- Redis down: the count is lost, the request still answers (204 / the redirect).
"""

import hashlib
import logging
import re
import secrets
from datetime import date, datetime, time, timedelta

from django_redis import get_redis_connection
from redis.exceptions import RedisError

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from insights.models import ProjectDay
from showcase.models import ProjectPage

logger = logging.getLogger(__name__)

CLICK_KINDS = ("repository", "demo", "website")
BOTS = re.compile(
    r"bot|crawl|spider|slurp|bingpreview|facebookexternalhit|embedly|headless|lighthouse|"
    r"curl|wget|python-requests|httpx|go-http-client|java/|libwww|monitor",
    re.IGNORECASE,
)
KEEP_SECONDS = 60 * 60 * 50  # today and yesterday, with room for the last flush


def _redis():
    if not settings.CACHE_REDIS_URL:
        return None
    return get_redis_connection("default")


def _key(day: date, project_id: int, what: str) -> str:
    return f"{settings.HUEY_NAME}:insights:{day.isoformat()}:{project_id}:{what}"


def counted(request) -> bool:
    """Whether this request may be counted at all (privacy signals, bots)."""
    if request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1":
        return False
    return not BOTS.search(request.headers.get("User-Agent", "") or "")


def _visitor(request, client, day: date, project_id: int) -> str:
    salt_key = f"{settings.HUEY_NAME}:insights:salt:{day.isoformat()}"
    # The day's salt is gone a minute after the day ends: no later hash can match an earlier one.
    midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    client.set(salt_key, secrets.token_hex(16), nx=True, exat=int(midnight.timestamp()) + 60)
    salt = client.get(salt_key) or b""
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.headers.get("User-Agent", "")
    raw = b"|".join(
        [salt if isinstance(salt, bytes) else salt.encode(), address.encode(), agent.encode()]
    )
    return hashlib.sha256(raw + f"|{project_id}".encode()).hexdigest()[:32]


def count_visit(request, project_id: int) -> bool:
    """Count one visit of the project (once per visitor a day); False when nothing counted."""
    client = _redis()
    if client is None:
        return False
    day = timezone.localdate()
    try:
        visitor = _visitor(request, client, day, project_id)
        key = _key(day, project_id, "visitors")
        with client.pipeline() as pipe:
            pipe.sadd(key, visitor).expire(key, KEEP_SECONDS)
            pipe.sadd(_key(day, 0, "projects"), project_id).expire(
                _key(day, 0, "projects"), KEEP_SECONDS
            )
            pipe.execute()
    except RedisError:
        logger.warning("a visit was not counted: Redis is unavailable")
        return False
    return True


def count_click(project_id: int, kind: str) -> bool:
    """Count one outbound click (repository, demo or website link)."""
    client = _redis()
    if client is None or kind not in CLICK_KINDS:
        return False
    day = timezone.localdate()
    try:
        key = _key(day, project_id, "clicks")
        with client.pipeline() as pipe:
            pipe.hincrby(key, kind, 1).expire(key, KEEP_SECONDS)
            pipe.sadd(_key(day, 0, "projects"), project_id).expire(
                _key(day, 0, "projects"), KEEP_SECONDS
            )
            pipe.execute()
    except RedisError:
        logger.warning("a click was not counted: Redis is unavailable")
        return False
    return True


def flush(days: int = 2) -> int:
    """Write today's and yesterday's counts into ProjectDay rows (idempotent: the counters are
    the day's totals); returns how many rows were written."""
    client = _redis()
    if client is None:
        return 0
    written = 0
    today = timezone.localdate()
    for offset in range(days):
        day = today - timedelta(days=offset)
        try:
            project_ids = [int(p) for p in client.smembers(_key(day, 0, "projects"))]
            rows = []
            for project_id in project_ids:
                clicks = client.hgetall(_key(day, project_id, "clicks"))
                visitors = client.scard(_key(day, project_id, "visitors"))
                rows.append((project_id, visitors, {k.decode(): int(v) for k, v in clicks.items()}))
        except RedisError:
            logger.warning("insights were not flushed: Redis is unavailable")
            return written
        existing = set(
            ProjectPage.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", flat=True)
        )
        with transaction.atomic():
            for project_id, visitors, clicks in rows:
                if project_id not in existing:
                    continue  # deleted since
                ProjectDay.objects.update_or_create(
                    project_id=project_id,
                    day=day,
                    defaults={
                        "visitors": visitors,
                        **{f"{kind}_clicks": clicks.get(kind, 0) for kind in CLICK_KINDS},
                    },
                )
                written += 1
    return written
