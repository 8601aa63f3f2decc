"""drf-spectacular hooks: the OpenAPI contract covers our REST API, not Wagtail's own APIs,
and every operation names its auth and its error responses."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

EXCLUDED_PREFIXES = ("/admin/", "/api/v2/")


def exclude_wagtail_endpoints(endpoints, **kwargs):
    """Drop Wagtail's admin API and the headless v2 API, which document themselves."""
    return [e for e in endpoints if not e[0].startswith(EXCLUDED_PREFIXES)]


@extend_schema_serializer(component_name="ApiError")
class ErrorSerializer(serializers.Serializer):
    """Every error: a message and the field errors (empty unless a field is at fault)."""

    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    code = serializers.CharField(required=False)
    retry_after = serializers.IntegerField(required=False, allow_null=True)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


class ProctiqueAutoSchema(AutoSchema):
    """Adds the error responses each operation can give, and marks public ones as such."""

    def _is_public(self) -> bool:
        return not self.view.get_permissions()

    def get_auth(self):
        auth = super().get_auth()
        if self._is_public() and {} not in auth:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        has_path_parameters = "{" in self.path
        extra = {
            "401": _error("Missing, invalid or expired token."),
            "429": _error("Too many requests; retry after `retry_after` seconds."),
        }
        if method != "GET" or self._is_list_view() or self.get_request_serializer():
            extra["400"] = _error("Invalid input: `errors` names the fields.")
        if not self._is_public():
            extra["403"] = _error("The caller's role or ownership does not allow this.")
        if has_path_parameters:
            extra["404"] = _error("Not found (or not visible to the caller).")
        elif self._is_list_view():
            extra["404"] = _error("The page number is past the last page.")
        if method == "GET":
            extra["304"] = OpenApiResponse(description="Not modified (conditional GET).")
        for code, response in extra.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        return dict(sorted(responses.items()))
