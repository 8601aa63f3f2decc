"""ETags and 304s for API reads of signed-in callers (anonymous reads get theirs, derived from
the content version before any rendering, from proctique.middleware.PublicCacheMiddleware).

A signed-in caller sees their own state (their drafts, their helpful marks), so the validator
is a hash of the body they would receive; nothing is stored per URL.
"""

import hashlib

from django.utils.cache import get_conditional_response, patch_vary_headers

from proctique.middleware import is_anonymous


def conditional_response(request, response):
    """Add an ETag to a successful GET/HEAD of a signed-in caller; 304 when it matches."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if is_anonymous(request):
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    patch_vary_headers(response, ["Authorization"])
    response.setdefault("Cache-Control", "private, no-cache")
    return get_conditional_response(request, etag=etag, response=response)
