"""The login-free unsubscribe page reached from emails."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tasks.emails import email_kinds
from tasks.unsubscribe import read_token


# The signed token is the only credential (no session is involved), so CSRF protection has
# nothing to protect; exempting it lets mail clients use RFC 8058 one-click unsubscribe.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows a confirmation; POST switches the token's email kind off for its user."""
    try:
        user_id, kind_name = read_token(token)
        kind = email_kinds()[kind_name]
        user = get_user_model().objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, KeyError, get_user_model().DoesNotExist):
        return render(request, "tasks/unsubscribe_invalid.html", status=400)
    if kind.preference is None:
        return render(request, "tasks/unsubscribe_invalid.html", status=400)
    done = False
    if request.method == "POST":
        kind.switch_off(user)
        done = True
    context = {
        "subscriber": user,
        "done": done,
        "token": token,
        "kind": kind,
        "subscribed": kind.is_wanted_by(user),
    }
    return render(request, "tasks/unsubscribe.html", context)
