"""Small permission classes composed per action; each asks Django's permission system once.

Object-level rules (ownership, locks, workflow) live below the API, in the services and
Wagtail's permission policies, so every route shares them; these classes only turn a missing
sign-in into 401 and a missing model permission into 403 before any work is done.
"""

from functools import cache

from rest_framework import permissions


class IsSignedIn(permissions.BasePermission):
    """The caller is signed in (any role)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


@cache
def HasPerm(codename: str) -> type[permissions.BasePermission]:  # noqa: N802 (a class factory)
    """A permission class: the signed-in caller holds `codename` (e.g. "reviews.view_report")."""

    class _HasPerm(IsSignedIn):
        __doc__ = f"The caller holds the {codename} permission."

        def has_permission(self, request, view):
            return super().has_permission(request, view) and request.user.has_perm(codename)

    _HasPerm.__name__ = f"HasPerm[{codename}]"
    return _HasPerm
