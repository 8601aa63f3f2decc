"""The login-free unsubscribe page reached from new-review emails."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tasks.unsubscribe import read_token


# The signed token is the only credential (no session is involved), so CSRF protection has
# nothing to protect; exempting it lets mail clients use RFC 8058 one-click unsubscribe.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows a confirmation; POST switches new-review emails off for the token's user."""
    try:
        user = get_user_model().objects.get(pk=read_token(token), is_active=True)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return render(request, "tasks/unsubscribe_invalid.html", status=400)
    done = False
    if request.method == "POST":
        if user.notify_new_reviews:
            user.notify_new_reviews = False
            user.save(update_fields=["notify_new_reviews"])
        done = True
    return render(
        request, "tasks/unsubscribe.html", {"subscriber": user, "done": done, "token": token}
    )
