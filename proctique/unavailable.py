"""A dependency that is down answers 503, never a traceback: PostgreSQL (a restart, killed
connections) and the media storage (S3 unreachable).

One rule for every route: `unavailable_part(exc)` says whether an exception means "a backing
service is unreachable", and which. The middleware turns such an exception from any view
(web pages, the Wagtail admin, the headless API) into a 503; the REST API's exception handler
uses the same rule for its JSON error shape; `server_error` (handler500) catches what is raised
in a middleware, outside any view. With CONN_HEALTH_CHECKS a dead database connection is
replaced at the start of the next request, so the site recovers without a restart.

A read (GET, HEAD) whose connection died under it (a killed backend, the first moment of a
restart) is run once more on a fresh connection before the 503 is given; a write is never
repeated here: it answers 503 and the client decides.
"""

import logging
import sys

from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again: about one database restart.
RETRY_AFTER = 10

MESSAGES = {
    "database": "The site is briefly unavailable: its database cannot be reached. Nothing was "
    "changed; please try again in a moment.",
    "storage": "Image storage cannot be reached, so the upload was not saved. Please try "
    "again in a few minutes.",
    # A page that had to make a missing image size (the worker makes them after an upload).
    "storage_read": "Image storage cannot be reached right now. Please try again in a few minutes.",
}


def unavailable_part(exc: BaseException | None) -> str | None:
    """'database' or 'storage' when `exc` means that backing service is unreachable."""
    if isinstance(exc, OperationalError | InterfaceError):
        return "database"
    if isinstance(exc, BotoConnectionError | HTTPClientError):
        return "storage"
    return None


SAFE_METHODS = frozenset({"GET", "HEAD"})


def mark_unavailable(request, part: str) -> None:
    """Remember on the request (Django's, or DRF's wrapper of it) that `part` failed it."""
    getattr(request, "_request", request)._unavailable_part = part


def message_for(request, part: str) -> str:
    """What the user is told: for storage, whether their upload was lost or only a page."""
    if part == "storage" and request.method in SAFE_METHODS:
        return MESSAGES["storage_read"]
    return MESSAGES[part]


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_response(request: HttpRequest, part: str) -> HttpResponse:
    """The 503 for `part`: JSON in the API's error shape, or the branded 503 page.

    Rendered without the request's context processors: they may need the database.
    """
    message = message_for(request, part)
    if _wants_json(request):
        body = {"message": message, "errors": {}, "code": f"{part}_unavailable"}
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        page = loader.get_template("503.html").render({"message": message, "part": part})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def log_unavailable(request: HttpRequest, part: str, exc: BaseException) -> None:
    # One line, no traceback: the cause is outside our code and the log must stay readable
    # through an outage of several thousand requests.
    logger.warning(
        "%s unavailable: %s %s: %s: %s",
        part,
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).strip().splitlines()[0] if str(exc).strip() else "",
    )


class ServiceUnavailableMiddleware:
    """Answer 503 when a view (or its template) fails because a backing service is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_unavailable_part", None) == "database" and (
            request.method in SAFE_METHODS
        ):
            # The connection that failed is dead; the next one may well work (the server only
            # killed our backend, or is already back). Reads are safe to repeat once.
            for conn in connections.all(initialized_only=True):
                conn.close()
            request._unavailable_part = None
            response = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        part = unavailable_part(exception)
        if part is None:
            return None
        log_unavailable(request, part, exception)
        mark_unavailable(request, part)
        return unavailable_response(request, part)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the error is an unreachable service (raised in a middleware, so
    no process_exception saw it), the branded 500 page otherwise."""
    exc = sys.exc_info()[1]
    part = unavailable_part(exc)
    if part is not None:
        mark_unavailable(request, part)
        return unavailable_response(request, part)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
