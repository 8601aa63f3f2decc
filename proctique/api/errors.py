"""One error shape for every API response: {"message": ..., "errors": {field: [..]}}."""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults

from proctique import unavailable
from proctique.exceptions import Locked
from proctique.unavailable import (
    RETRY_AFTER,
    log_unavailable,
    mark_unavailable,
    message_for,
    unavailable_part,
)


class LockedError(exceptions.APIException):
    status_code = status.HTTP_423_LOCKED
    default_detail = "This is locked."
    default_code = "locked"


class ServiceUnavailableError(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is briefly unavailable."
    default_code = "unavailable"


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        errors: dict[str, list[str]] = {}
        for field, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    errors[f"{field}.{sub}"] = messages
            elif isinstance(value, list):
                errors[field] = [str(v) for v in value]
            else:
                errors[field] = [str(value)]
        return errors
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {}


def exception_handler(exc, context):
    """Wrap DRF's handler so every error carries `message` and `errors`."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, Locked):
        exc = LockedError(str(exc) or None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif (part := unavailable_part(exc)) is not None:
        # Same rule, message and retry of reads as the web pages (proctique.unavailable).
        request = context["request"]
        log_unavailable(request, part, exc)
        mark_unavailable(request, part)
        exc = ServiceUnavailableError(message_for(request, part), code=f"{part}_unavailable")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(detail)
        # Django's model and service errors key non-field messages as "__all__".
        if "__all__" in errors:
            errors.setdefault("non_field_errors", []).extend(errors.pop("__all__"))
        message = "The request has invalid fields."
        if errors.get("non_field_errors"):
            message = errors["non_field_errors"][0]
    else:
        errors = {}
        if isinstance(detail, dict) and "detail" in detail:
            message = str(detail["detail"])
        else:
            message = str(detail)
    body = {"message": message, "errors": errors}
    if isinstance(detail, dict) and "code" in detail:
        body["code"] = str(detail["code"])
    if isinstance(exc, ServiceUnavailableError):
        body["code"] = str(exc.get_codes())
        response["Retry-After"] = str(RETRY_AFTER)
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        body["retry_after"] = getattr(exc, "wait", None)
    response.data = body
    return response


API_PREFIX = "/api/"


def not_found(request, exception=None):
    """Unknown paths: the API's JSON error under /api/ (REST and headless alike), else the page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"message": "Not found.", "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """An unhandled error: a 503 when it is an unreachable service (raised in a middleware, so
    no process_exception saw it); else JSON for API callers (their clients parse every answer)
    and the branded page for everyone else."""
    outage = unavailable.server_error(request)
    if outage.status_code == 503:
        return outage
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"message": "Server error.", "errors": {}}, status=500)
    return defaults.server_error(request)
