"""Template tags other apps' templates include: the follow button, the unread badge in the
header, the email preferences form on the settings page. Each costs one query for a signed-in
user and none for a visitor, whose page may be cached and shared."""

from django import template

from follows import services
from follows.forms import FollowPreferencesForm
from follows.models import Notification

register = template.Library()


@register.inclusion_tag("follows/includes/follow_button.html", takes_context=True)
def follow_button(context, target, label: str = "") -> dict:
    """A Follow / Unfollow button for an author, a category or a project."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    field = services.target_field(target)
    return {
        "request": request,
        "target": target,
        "target_type": field,
        "label": label or getattr(target, "public_name", None) or str(target),
        "signed_in": signed_in,
        "is_self": signed_in and field == "author" and target.pk == user.pk,
        "following": signed_in and services.is_following(user, target),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("follows/includes/unread_badge.html", takes_context=True)
def unread_badge(context) -> dict:
    """The header's link to /notifications/ with the unread count (signed-in users only)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {"show": False}
    unread = Notification.objects.filter(recipient=user).shown().unread().count()
    return {"show": True, "unread": unread, "request": request}


@register.inclusion_tag("follows/includes/preferences_form.html", takes_context=True)
def follow_preferences_form(context) -> dict:
    """The email preferences of follows, for the account settings page."""
    request = context["request"]
    form = FollowPreferencesForm(instance=services.preferences_for(request.user))
    return {"follow_form": form, "csrf_token": context.get("csrf_token"), "request": request}
