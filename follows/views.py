"""Follow buttons, the personal feed, notifications and email preferences (signed-in pages;
never publicly cached)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from follows import services
from follows.feed import feed_entries, feed_items
from follows.forms import FollowPreferencesForm, FollowTargetForm
from follows.models import Notification

FEED_PAGE_SIZE = 20
NOTIFICATIONS_PAGE_SIZE = 30


def _safe_next(request: HttpRequest, fallback: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


def _name(target) -> str:
    return getattr(target, "public_name", None) or getattr(target, "title", None) or str(target)


@require_POST
def follow_toggle(request: HttpRequest) -> HttpResponse:
    """The follow / unfollow button: visitors are sent to sign in and come back to the page."""
    back = _safe_next(request, "/")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': back})}")
    form = FollowTargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("__all__", ["Choose what to follow."])))
        return redirect(back)
    target = form.cleaned_data["object"]
    try:
        following = services.follow_toggle(user=request.user, target=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if following:
        messages.success(request, f"You follow {_name(target)}: news from it is in your feed.")
    else:
        messages.info(request, f"You no longer follow {_name(target)}.")
    return redirect(back)


@login_required
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    """/feed/: new projects and reviews from what the signed-in user follows."""
    page_obj = Paginator(feed_entries(request.user), FEED_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        "items": feed_items(page_obj.object_list),
        "follows_anything": request.user.follows.exists() if not page_obj.object_list else True,
    }
    return render(request, "follows/feed.html", context)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """/notifications/: the signed-in user's notifications, newest first, unread marked."""
    mine = Notification.objects.filter(recipient=request.user).shown().for_listing()
    page_obj = Paginator(mine, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page_obj,
        "notifications": list(page_obj),
        "unread": mine.unread().count(),
    }
    return render(request, "follows/notifications.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (`notification`) or all of them read."""
    raw = request.POST.get("notification", "")
    ids = [int(raw)] if raw.isascii() and raw.isdecimal() and len(raw) < 19 else None
    if raw and ids is None:
        messages.error(request, "That notification does not exist.")
        return redirect("follows:notifications")
    count = services.notifications_mark_read(user=request.user, ids=ids)
    if ids is None:
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect(_safe_next(request, reverse("follows:notifications")))


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """How to email what is new from what one follows (also shown on the settings page)."""
    form = FollowPreferencesForm(
        request.POST or None, instance=services.preferences_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email preferences have been saved.")
        return redirect(_safe_next(request, reverse("follows:preferences")))
    return render(request, "follows/preferences.html", {"follow_form": form})
