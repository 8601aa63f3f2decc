from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.forms import AccountSettingsForm, ProfileForm
from accounts.roles import make_author

# allauth's windows are one minute (per IP) to five minutes (failed logins per account).
RETRY_AFTER_SECONDS = 60


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """Display name, email preferences and the way to become an author."""
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings have been saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
def profile_settings(request: HttpRequest) -> HttpResponse:
    """The public profile's avatar, bio, links and review listing."""
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile_settings.html", {"form": form})


@require_POST
@login_required
def become_author(request: HttpRequest) -> HttpResponse:
    """Self-service role change: the signed-in user becomes an author at once."""
    if request.user.is_author:
        messages.info(request, "You are already an author.")
    else:
        make_author(request.user)
        messages.success(
            request, "You are now an author: add your first project in the admin, under Projects."
        )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("accounts:settings")


def rate_limited(request: HttpRequest, exception=None) -> HttpResponse:
    """allauth's 429 page (ROOT_URLCONF.handler429), in the site's style, with Retry-After."""
    response = render(request, "accounts/rate_limited.html", status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def admin_login(request: HttpRequest) -> HttpResponse:
    """Wagtail's admin sign-in goes through the site's rate-limited pages.

    A signed-in user without admin access gets a 403 page: sending them to the sign-in page
    again would send them straight back to the admin, in a loop.
    """
    if request.user.is_authenticated:
        raise PermissionDenied("Your account has no access to the admin.")
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))
