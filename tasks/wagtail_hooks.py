"""The email outbox in the Wagtail admin: read-only, for holders of `tasks.view_emailevent`
(the Moderators group), with a retry action for holders of `tasks.change_emailevent`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods

from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from tasks import outbox
from tasks.models import EmailEvent


class OutboxPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, for viewing only: rows are never added, edited or deleted
    through the admin (a retry, for holders of `tasks.change_emailevent`, is its own view)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


def can_retry(user) -> bool:
    return user.has_perm("tasks.change_emailevent")


outbox_policy = OutboxPermissionPolicy(EmailEvent)
register_permission_policy(EmailEvent, outbox_policy)


def _retry_url(event: EmailEvent) -> str:
    return reverse("tasks_emailevent:retry", args=[event.pk])


class OutboxIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == EmailEvent.Status.FAILED and can_retry(self.request.user):
            buttons.append(
                Button("Retry", url=_retry_url(instance), icon_name="repeat", priority=30)
            )
        return buttons


class OutboxInspectView(generic.InspectView):
    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.object.status == EmailEvent.Status.FAILED and can_retry(self.request.user):
            buttons.append(Button("Retry", url=_retry_url(self.object), icon_name="repeat"))
        return buttons


@require_http_methods(["GET", "POST"])
def retry_view(request, pk):
    """GET asks for confirmation; POST puts a failed event back to pending and enqueues it."""
    if not can_retry(request.user):
        raise PermissionDenied
    event = get_object_or_404(EmailEvent.objects.select_related("recipient"), pk=pk)
    index_url = reverse("tasks_emailevent:index")
    if event.status != EmailEvent.Status.FAILED:
        messages.warning(request, f"Only failed emails can be retried ({event} is not).")
        return redirect(index_url)
    if request.method == "POST":
        outbox.retry(event)
        messages.success(request, f"Email {event.pk} is queued again.")
        return redirect(index_url)
    return TemplateResponse(
        request, "tasks/admin/retry_confirm.html", {"event": event, "index_url": index_url}
    )


class OutboxViewSet(ModelViewSet):
    model = EmailEvent
    icon = "mail"
    menu_label = "Email outbox"
    menu_order = 900
    add_to_settings_menu = True
    index_view_class = OutboxIndexView
    inspect_view_class = OutboxInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Outbox rows reference nothing editors care about; indexing them would queue a
    # Wagtail task for every outbox write.
    add_to_reference_index = False
    list_display = ["__str__", "kind", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    inspect_view_fields = [
        "kind",
        "recipient",
        "refs",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
    ]

    def get_urlpatterns(self):
        # Read-only: no add, edit, copy or delete views exist at all.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("retry/<int:pk>/", retry_view, name="retry"),
        ]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxViewSet("tasks_emailevent")
