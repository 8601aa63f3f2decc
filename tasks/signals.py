"""The notifications layer reacts to what the domains announce: each event becomes an outbox
row in the same transaction as the change it is about (tasks.outbox.emit).

"Project published" is sent when a project goes live, and only then: on the showcase's
`project_went_live` (showcase.signals says what counts), never for an edit of a live page.

Moderation: Wagtail's admin sends its own unbranded workflow emails straight over SMTP from
the request (wagtail.admin.mail), two per submission for a superuser (the task's and the
workflow's). Ours replace them: one outbox email per moderator per submission, and one to the
author when changes are requested (an approval publishes, and "project published" says so).
"""

from allauth.account import signals as allauth_signals

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    task_submitted,
    workflow_approved,
    workflow_rejected,
    workflow_submitted,
)

from accounts import events as account_events
from reviews import events as review_events
from reviews.models import Report, Review, ReviewReply
from showcase import events as showcase_events
from showcase.models import ProjectMember, ProjectPage
from tasks.outbox import emit


def project_went_live(sender, project, **kwargs):
    emit("project_published", recipient=project.owner_id, project_id=project.pk)


def review_posted(sender, review, **kwargs):
    owner_id = review.project.owner_id
    if owner_id:
        emit("new_review", recipient=owner_id, review_id=review.pk, project_id=review.project_id)


def reply_posted(sender, reply, created=True, **kwargs):
    if created:  # an owner editing their reply does not email the reviewer again
        emit("review_reply", recipient=reply.review.author_id, reply_id=reply.pk)


def report_closed(sender, report, **kwargs):
    emit("report_outcome", recipient=report.reporter_id, report_id=report.pk)


def review_hidden(sender, review, **kwargs):
    emit("review_hidden", recipient=review.author_id, review_id=review.pk)


def moderators_of(task_state, *, exclude=None):
    """Who approves a group-approval task: its groups' active members, and superusers."""
    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return get_user_model().objects.none()
    users = get_user_model().objects.filter(is_active=True)
    users = users.filter(Q(groups__in=groups.all()) | Q(is_superuser=True)).distinct()
    return users.exclude(pk=getattr(exclude, "pk", None))


def _is_project(workflow_state) -> bool:
    content = workflow_state.content_object  # the base Page, not the specific page
    return isinstance(getattr(content, "specific", content), ProjectPage)


def project_submitted(sender, instance, user=None, **kwargs):
    """A project's moderation task started: one email to each of its moderators."""
    if not _is_project(instance.workflow_state):
        return
    for moderator_id in moderators_of(instance, exclude=user).values_list("pk", flat=True):
        emit("moderation_submitted", recipient=moderator_id, task_state_id=instance.pk)


def project_rejected(sender, instance, user=None, **kwargs):
    requested_by = instance.requested_by_id
    task_state = instance.current_task_state
    if requested_by is None or task_state is None or requested_by == getattr(user, "pk", None):
        return
    if _is_project(instance):
        emit("moderation_rejected", recipient=requested_by, task_state_id=task_state.pk)


# The dispatch_uids wagtail.admin.signal_handlers connects its email notifiers under.
WAGTAIL_NOTIFIERS = {
    "group_approval_task_submitted_email_notification": (task_submitted, TaskState),
    "workflow_state_submitted_email_notification": (workflow_submitted, WorkflowState),
    "workflow_state_rejected_email_notification": (workflow_rejected, WorkflowState),
    "workflow_state_approved_email_notification": (workflow_approved, WorkflowState),
}


def _silence_wagtail_notifiers() -> None:
    """Take Wagtail's workflow emails off their signals, whichever app's ready() runs first.

    If wagtail.admin is ready already, disconnecting removes its notifiers. If not (it comes
    after this app in INSTALLED_APPS), a placeholder takes each dispatch_uid: Django keeps the
    receiver connected first under a uid and ignores Wagtail's later connect.
    """
    for uid, (signal, sender) in WAGTAIL_NOTIFIERS.items():
        signal.disconnect(sender=sender, dispatch_uid=uid)
        signal.connect(_no_wagtail_email, sender=sender, dispatch_uid=uid)


def _no_wagtail_email(sender, **kwargs) -> None:
    """Holds the place of one of Wagtail's email notifiers; ours are connected beside it."""


def member_invited(sender, membership, **kwargs):
    emit("comaker_invited", recipient=membership.user_id, membership_id=membership.pk)


def password_reset_requested(sender, user, **kwargs):
    emit("password_reset", recipient=user)


def password_changed(sender, user, **kwargs):
    """Web change, web reset (allauth) or API reset confirm (accounts.events)."""
    emit("password_changed", recipient=user)


def email_confirmation_requested(sender, user, email_address_id, signup=False, **kwargs):
    emit("email_confirmation", recipient=user, email_address_id=email_address_id, signup=signup)


def signup_with_existing_address(sender, user, **kwargs):
    emit("account_already_exists", recipient=user)


def connect() -> None:
    showcase_events.project_went_live.connect(
        project_went_live, sender=ProjectPage, dispatch_uid="tasks.project_went_live"
    )
    review_events.review_posted.connect(
        review_posted, sender=Review, dispatch_uid="tasks.review_posted"
    )
    review_events.reply_posted.connect(
        reply_posted, sender=ReviewReply, dispatch_uid="tasks.reply_posted"
    )
    review_events.report_closed.connect(
        report_closed, sender=Report, dispatch_uid="tasks.report_closed"
    )
    review_events.review_hidden.connect(
        review_hidden, sender=Review, dispatch_uid="tasks.review_hidden"
    )
    _silence_wagtail_notifiers()
    task_submitted.connect(
        project_submitted, sender=TaskState, dispatch_uid="tasks.project_submitted"
    )
    workflow_rejected.connect(
        project_rejected, sender=WorkflowState, dispatch_uid="tasks.project_rejected"
    )
    showcase_events.member_invited.connect(
        member_invited, sender=ProjectMember, dispatch_uid="tasks.member_invited"
    )
    account_events.password_reset_requested.connect(
        password_reset_requested, dispatch_uid="tasks.password_reset_requested"
    )
    account_events.email_confirmation_requested.connect(
        email_confirmation_requested, dispatch_uid="tasks.email_confirmation_requested"
    )
    account_events.signup_with_existing_address.connect(
        signup_with_existing_address, dispatch_uid="tasks.signup_with_existing_address"
    )
    for name, signal in {
        "api": account_events.password_changed,
        "web_change": allauth_signals.password_changed,
        "web_reset": allauth_signals.password_reset,
        "web_set": allauth_signals.password_set,
    }.items():
        signal.connect(password_changed, dispatch_uid=f"tasks.password_changed.{name}")
