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
"""

from allauth.account import signals as allauth_signals

from django.db.models.signals import pre_save

from wagtail.signals import page_published

from accounts import events as account_events
from reviews import events as review_events
from reviews.models import Review
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
