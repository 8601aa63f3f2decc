"""The one DRF base the API's viewsets share: authentication, pagination, throttling,
per-action permissions and serializers, id lookups and conditional GET."""

import re

from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.settings import api_settings

from proctique.api.conditional import conditional_response
from proctique.api.parsers import BoundedJSONParser
from proctique.api.permissions import IsSignedIn
from proctique.api.schema import ProctiqueAutoSchema
from proctique.api.throttling import AnonThrottle, ScopedThrottle, UserThrottle, refusals

# ASCII digits only: "²".isdigit() is True and int("²") raises.
ID = re.compile(r"[0-9]{1,18}")
# Letters, digits, "-" and "_" (Unicode slugs included); never NUL or other control characters,
# which PostgreSQL refuses (a 500) or no slug can hold.
SLUG = re.compile(r"[-\w]{1,255}")


def parse_id(raw) -> int:
    """A path id as an int, or a 404 for anything that is not one (as for a missing row)."""
    raw = str(raw)
    if not ID.fullmatch(raw):
        raise NotFound
    return int(raw)


def parse_id_or_slug(raw) -> dict[str, int | str]:
    """A path segment as a lookup (`{"pk": ...}` or `{"slug": ...}`), or a 404 for neither."""
    raw = str(raw)
    if ID.fullmatch(raw):
        return {"pk": int(raw)}
    if SLUG.fullmatch(raw) and not raw.isdecimal():
        return {"slug": raw}
    raise NotFound


class ProctiqueViewSet(viewsets.GenericViewSet):
    """Compose `permission_classes_by_action` and `serializer_classes` per action."""

    schema = ProctiqueAutoSchema()
    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    parser_classes = [BoundedJSONParser]
    throttle_classes = [ScopedThrottle, AnonThrottle, UserThrottle]
    # Public reads unless an action says otherwise; every write needs a signed-in caller.
    permission_classes: list = []
    permission_classes_by_action: dict[str, list] = {}
    serializer_classes: dict[str, type] = {}
    # Scope per action for ScopedThrottle ("reviews" for posting, ...).
    throttle_scope_by_action: dict[str, str] = {}

    # Any segment reaches the view, so a malformed id is a JSON 404 like a missing one.
    lookup_value_regex = r"[^/]+"

    def get_object(self):
        if self.lookup_field == "pk":
            key = self.lookup_url_kwarg or self.lookup_field
            self.kwargs[key] = parse_id(self.kwargs.get(key, ""))
        return super().get_object()

    def get_permissions(self):
        classes = self.permission_classes_by_action.get(self.action)
        if classes is None:
            classes = self.permission_classes
            if self.request and self.request.method not in ("GET", "HEAD", "OPTIONS"):
                classes = [IsSignedIn, *classes]
        return [cls() for cls in classes]

    def get_serializer_class(self):
        return self.serializer_classes.get(self.action) or self.serializer_classes.get(
            "default", self.serializer_class
        )

    def get_throttles(self):
        self.throttle_scope = self.throttle_scope_by_action.get(self.action)
        throttles = [t() for t in self.throttle_classes]
        return [
            t
            for t in throttles
            if not isinstance(t, ScopedThrottle) or self.throttle_scope is not None
        ]

    def check_throttles(self, request):
        if self.throttle_scope_by_action.get(self.action) is None:
            # One rate counts this call (anon or user): DRF's check, one read and one write.
            return super().check_throttles(request)
        # A scoped action's limit and the user rate: one cache read and one write for both.
        waits = refusals(self.get_throttles, request, self)
        if waits:
            self.throttled(request, max((w for w in waits if w is not None), default=None))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional_response(request, response)
