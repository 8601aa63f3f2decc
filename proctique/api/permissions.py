"""Small permission classes composed per action; each checks one rule of the roles matrix."""

from rest_framework import permissions


class IsSignedIn(permissions.BasePermission):
    """The caller is signed in (any role)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


class IsAuthor(IsSignedIn):
    """The caller is an author or an admin."""

    def has_permission(self, request, view):
        user = request.user
        return super().has_permission(request, view) and (user.is_author or user.is_moderator)


class IsAdmin(IsSignedIn):
    """The caller is an admin: a superuser or a member of Moderators."""

    def has_permission(self, request, view):
        return super().has_permission(request, view) and request.user.is_moderator


def owner_id_of(obj):
    """The user id that owns `obj`: a page's owner, a review's author, an image's uploader."""
    for attribute in ("owner_id", "author_id", "uploaded_by_user_id", "reporter_id"):
        if hasattr(obj, attribute):
            return getattr(obj, attribute)
    return None


class IsOwnerOrAdmin(IsSignedIn):
    """The object belongs to the caller, or the caller is an admin."""

    def has_object_permission(self, request, view, obj):
        user = request.user
        return user.is_moderator or (owner_id_of(obj) is not None and owner_id_of(obj) == user.pk)


class IsOwningAuthorOrAdmin(IsOwnerOrAdmin):
    """The caller is an admin, or an author who owns the object."""

    def has_object_permission(self, request, view, obj):
        user = request.user
        if user.is_moderator:
            return True
        return user.is_author and super().has_object_permission(request, view, obj)


class IsNotOwner(IsSignedIn):
    """The object does not belong to the caller (no reviewing or reporting one's own)."""

    def has_object_permission(self, request, view, obj):
        return owner_id_of(obj) != request.user.pk
