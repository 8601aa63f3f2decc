"""Liveness and readiness probes for load balancers and orchestrators."""

import logging
import uuid

from huey.contrib.djhuey import HUEY

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the process can answer at all."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def _check_queue() -> None:
    # Counting pending messages touches the queue's storage (Redis or the SQLite file).
    HUEY.storage.queue_size()


CHECKS = {"database": _check_database, "cache": _check_cache, "queue": _check_queue}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache and queue answer; 503 naming whichever part does not."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure of a dependency makes us not ready
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = f"error: {exc.__class__.__name__}"
        else:
            results[name] = "ok"
    failing = [name for name, value in results.items() if value != "ok"]
    status = 503 if failing else 200
    return JsonResponse(
        {"status": "fail" if failing else "ok", "checks": results, "failing": failing},
        status=status,
    )
