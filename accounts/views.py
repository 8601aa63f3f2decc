from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render


def author_profile(request: HttpRequest, username: str) -> HttpResponse:
    """Public profile: display name, initials and published projects."""
    author = get_object_or_404(get_user_model(), username__iexact=username, is_active=True)
    return render(request, "accounts/author_profile.html", {"author": author})
