"""Exceptions that domain services raise and every route translates the same way."""

from django.core.exceptions import PermissionDenied


class Locked(PermissionDenied):
    """The object is locked for this user (a lock or a moderation in progress): HTTP 423."""
