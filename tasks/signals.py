"""The notifications layer reacts to what the domains announce: each event becomes an outbox
row in the same transaction as the change it is about (tasks.outbox.emit).

"Project published" is sent when a project goes live, and only then. Wagtail sends
`page_published` for every publish, including edits of a page that is already live, and only
after the page row is saved, so the receiver cannot see the state before. A `pre_save` receiver
therefore reads the stored `live` flag just before Wagtail's publish saves the page and keeps it
on the instance; `page_published` then emits only when the page went from not live to live.
This covers the first publish, a re-publish after an unpublish or expiry, a scheduled publish
going live, and a workflow approval (all run the same publish action on the same instance),
while edits of a live page, and a publish merely scheduled for later, send nothing.

Moderation: Wagtail's admin sends its own unbranded workflow emails straight over SMTP from
the request (wagtail.admin.mail), two per submission for a superuser (the task's and the
workflow's). Ours replace them: one outbox email per moderator per submission, and one to the
author when changes are requested (an approval publishes, and "project published" says so).
"""

from allauth.account import signals as allauth_signals

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import pre_save

from wagtail.models import TaskState, WorkflowState
from wagtail.signals import (
    page_published,
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

_WAS_LIVE = "_tasks_was_live"


def remember_live_state(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "live" not in update_fields:
        return  # drafts and revisions do not change whether the page is live
    # Wagtail's create view inserts a new page with live=True before its first publish, so
    # only a page that also has a live revision had really gone live before.
    stored = (
        ProjectPage.objects.filter(pk=instance.pk).values_list("live", "live_revision_id").first()
    )
    setattr(instance, _WAS_LIVE, bool(stored and stored[0] and stored[1]))


def project_went_live(sender, instance, revision=None, **kwargs):
    if not instance.live or instance.owner_id is None:
        return  # a publish scheduled for later keeps the page not live
    was_live = getattr(instance, _WAS_LIVE, None)
    if was_live is None:
        # Saved outside our pre_save (e.g. a queryset update): only a first publish is certain.
        was_live = instance.first_published_at != instance.last_published_at
    if was_live:
        return
    # Consumed: a second publish of the same instance object is an edit of a live page.
    setattr(instance, _WAS_LIVE, True)
    emit("project_published", recipient=instance.owner_id, project_id=instance.pk)


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
    pre_save.connect(
        remember_live_state, sender=ProjectPage, dispatch_uid="tasks.remember_live_state"
    )
    page_published.connect(
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
