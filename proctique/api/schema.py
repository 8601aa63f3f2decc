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

    def _map_basic_serializer(self, serializer, direction):
        # A model serializer returns every field, but drf-spectacular leaves those whose column
        # has a default (`status`, `edited`, ...) out of `required`, so typed clients would
        # make them optional. Fields declared `required=False` on purpose stay optional.
        result = super()._map_basic_serializer(serializer, direction)
        if direction != "response" or not isinstance(serializer, serializers.ModelSerializer):
            return result
        declared = getattr(serializer, "_declared_fields", {})
        required = set(result.get("required", []))
        for name, field in serializer.fields.items():
            if field.write_only or name not in result.get("properties", {}):
                continue
            if name not in declared or declared[name].required:
                required.add(name)
        if required:
            result["required"] = [name for name in result["properties"] if name in required]
        return result

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


def _blank_or_value(node: dict) -> None:
    """`oneOf: [{string, uri}, {string, maxLength: 0}]` matches `""` twice (formats are
    optional to validators), so `""` fails `oneOf`: the value branch needs one character."""
    branches = node.get("oneOf")
    if not isinstance(branches, list) or len(branches) != 2:
        return
    blank = [b for b in branches if b.get("type") == "string" and b.get("maxLength") == 0]
    if len(blank) != 1:
        return
    for branch in branches:
        if branch is not blank[0] and branch.get("type") == "string":
            branch.setdefault("minLength", 1)


def disambiguate_blank_strings(result, generator, request, public):
    """Postprocessing hook: make every blank-or-value field's `oneOf` unambiguous."""
    stack = [result]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            _blank_or_value(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return result
