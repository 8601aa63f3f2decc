"""The upvote rate limit, shared by the web view and the API: one counter per user.

The API applies it as the DRF scope "upvotes" (ScopedRateThrottle); the web view asks
`upvote_allowed(request)`, which counts in the same cache key, so switching routes does not
double the allowance. The rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["upvotes"].
"""

from rest_framework.throttling import SimpleRateThrottle

from django.conf import settings

SCOPE = "upvotes"


class UpvoteThrottle(SimpleRateThrottle):
    """Upvotes per signed-in user (keyed like ScopedRateThrottle's "upvotes" scope)."""

    scope = SCOPE

    def get_rate(self):
        # Read at call time (DRF binds its rates at import), so overridden settings apply.
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope]

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


def upvote_allowed(request) -> bool:
    """Count one upvote attempt of `request`'s caller; False once over the rate."""
    return UpvoteThrottle().allow_request(request, None)
