"""Serializer fields that take JSON types at their word.

DRF coerces freely (42 -> "42", "true" -> True, "" -> None for relations); the OpenAPI
contract says otherwise, and clients should learn about their mistakes.
"""

from rest_framework import serializers

from django.conf import settings

from proctique.text import reject_control_characters


class _Strict:
    json_types: tuple[type, ...] = ()

    def run_validators(self, value):
        # As Django's fields do: a validator's error code picks the field's own message, so
        # the model's messages (copied by StrictModelSerializer) are the ones the API shows.
        try:
            super().run_validators(value)
        except serializers.ValidationError as exc:
            details = exc.detail if isinstance(exc.detail, list) else [exc.detail]
            raise serializers.ValidationError([self._message_for(d) for d in details]) from None

    def _message_for(self, detail):
        message = self.error_messages.get(getattr(detail, "code", None))
        if isinstance(message, str) and "{" not in message:
            return serializers.ErrorDetail(message, code=detail.code)
        return detail

    def to_internal_value(self, data):
        if not isinstance(data, self.json_types) or isinstance(data, bool) is not (
            bool in self.json_types
        ):
            raise serializers.ValidationError(
                f"Expected {' or '.join(t.__name__ for t in self.json_types)}."
            )
        return super().to_internal_value(data)


class CharField(_Strict, serializers.CharField):
    json_types = (str,)


class SlugField(_Strict, serializers.SlugField):
    json_types = (str,)


class URLField(_Strict, serializers.URLField):
    json_types = (str,)


class EmailField(_Strict, serializers.EmailField):
    json_types = (str,)


class BooleanField(_Strict, serializers.BooleanField):
    json_types = (bool,)


class IntegerField(_Strict, serializers.IntegerField):
    json_types = (int,)


class _StrictRelated(_Strict):
    def run_validation(self, data=serializers.empty):
        # DRF turns "" into None for relations; an empty string is not a null.
        if data == "":
            raise serializers.ValidationError("This field may not be blank.")
        return super().run_validation(data)


class PrimaryKeyRelatedField(_StrictRelated, serializers.PrimaryKeyRelatedField):
    json_types = (int,)


class SlugRelatedField(_StrictRelated, serializers.SlugRelatedField):
    json_types = (str,)

    def to_internal_value(self, data):
        # Checked before the lookup: PostgreSQL refuses a NUL byte in a query (a 500).
        if isinstance(data, str):
            reject_control_characters(data)
        return super().to_internal_value(data)


# Model error codes that mean the same thing in DRF.
MESSAGE_CODES = {
    "blank": ("blank", "required"),
    "required": ("required",),
    "max_length": ("max_length",),
    "min_length": ("min_length",),
    "min_value": ("min_value",),
    "max_value": ("max_value",),
    "invalid": ("invalid",),
    "null": ("null",),
    "invalid_choice": ("invalid_choice",),
    "control_characters": ("control_characters",),
}


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text, slug, URL, boolean and integer fields are strict and whose
    error messages are the model fields' own."""

    serializer_related_field = PrimaryKeyRelatedField

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        messages = {}
        # Only the messages the model states itself (`_error_messages`), not Django's defaults.
        for code, message in (getattr(model_field, "_error_messages", None) or {}).items():
            for drf_code in MESSAGE_CODES.get(code, ()):
                messages.setdefault(drf_code, message)
        if messages:
            kwargs["error_messages"] = {**kwargs.get("error_messages", {}), **messages}
        return field_class, kwargs


_mapping = dict(serializers.ModelSerializer.serializer_field_mapping)
for model_field, field in _mapping.items():
    for strict in (SlugField, URLField, CharField, BooleanField, IntegerField):
        if field is strict.__mro__[2]:
            _mapping[model_field] = strict
            break
StrictModelSerializer.serializer_field_mapping = _mapping


def absolute(url: str) -> str:
    """An absolute URL: page URLs and storage URLs of local media are paths below SITE_URL."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


class AbsoluteURLField(serializers.CharField):
    """A URL the API answers with, always absolute (clients follow it as given)."""

    def to_representation(self, value):
        return absolute(super().to_representation(value))
