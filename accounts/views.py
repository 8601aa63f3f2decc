from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.forms import AccountSettingsForm
from accounts.roles import make_author
from showcase.models import ProjectPage

PROFILE_PAGE_SIZE = 12
# allauth's windows are one minute (per IP) to five minutes (failed logins per account).
RETRY_AFTER_SECONDS = 60


def author_profile(request: HttpRequest, username: str) -> HttpResponse:
    """Public profile: display name, initials and the author's live projects."""
    author = get_object_or_404(get_user_model(), username__iexact=username, is_active=True)
    projects = (
        ProjectPage.objects.live()
        .public()
        .filter(owner=author)
        .select_related("category")
        .defer_streamfields()
        .order_by("-first_published_at", "-pk")
    )
    page_obj = Paginator(projects, PROFILE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/author_profile.html",
        {"author": author, "page_obj": page_obj, "projects": page_obj.object_list},
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    """Display name, email preferences and the way to become an author."""
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your settings have been saved.")
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


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
