"""Serializer fields that take JSON types at their word.

DRF coerces freely (42 -> "42", "true" -> True, "" -> None for relations); the OpenAPI
contract says otherwise, and clients should learn about their mistakes.
"""

from rest_framework import serializers


class _Strict:
    json_types: tuple[type, ...] = ()

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


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose text, slug, URL, boolean and integer fields are strict."""

    serializer_related_field = PrimaryKeyRelatedField


_mapping = dict(serializers.ModelSerializer.serializer_field_mapping)
for model_field, field in _mapping.items():
    for strict in (SlugField, URLField, CharField, BooleanField, IntegerField):
        if field is strict.__mro__[2]:
            _mapping[model_field] = strict
            break
StrictModelSerializer.serializer_field_mapping = _mapping
