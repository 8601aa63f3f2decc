"""Signal receivers of the showcase app (connected in ShowcaseConfig.ready).

Whatever changes what the public sees of projects bumps the public content version after
commit (proctique.versions): publishing, unpublishing, moving or deleting a page, a category
change, a view restriction saved or removed, a person's public profile. Restrictions, page
moves and deletions also bump the view restrictions' own version (showcase.restrictions).
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished, post_page_move

from proctique import versions
from showcase import events, moderation, restrictions
from showcase.models import Category, HomePage, ProjectIndexPage, ProjectPage
from showcase.tasks import generate_renditions

PAGE_MODELS = (ProjectPage, ProjectIndexPage, HomePage)
_WAS_LIVE = "_showcase_was_live"


def enqueue_renditions(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """After an image is uploaded (or its file / focal point changes), make its renditions."""
    if raw:
        return
    if update_fields is not None and not {"file", "focal_point_x"} & set(update_fields):
        return
    image_id = instance.pk
    transaction.on_commit(lambda: generate_renditions(image_id), robust=True)


def public_content_changed(sender, instance=None, raw=False, **kwargs):
    if not raw:
        versions.changed()


def paths_changed(sender, instance=None, raw=False, **kwargs):
    """A view restriction saved or removed, a page moved or deleted: what is restricted moves."""
    if not raw:
        versions.changed(restrictions.VERSION)


def project_published(sender, instance, **kwargs):
    """Index a published project at once, so search answers with it on the next request."""
    index.insert_or_update_object(instance)


# "Went live": Wagtail sends `page_published` for every publish, edits of a live page included,
# and only after the row is saved, so the state before is read by a pre_save receiver just
# before the publish saves the page and kept on the instance.
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


def announce_went_live(sender, instance, **kwargs):
    """Send `events.project_went_live` when this publish took the project from not live to live."""
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
    events.project_went_live.send(sender=ProjectPage, project=instance)


PUBLIC_PROFILE_FIELDS = {
    "display_name", "avatar", "bio", "website_url", "code_url", "show_reviews_on_profile",
    "is_active", "username",
}  # fmt: skip


def profile_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Cards, project pages, reviews and profiles show a person's public name and profile."""
    if raw or (update_fields is not None and not PUBLIC_PROFILE_FIELDS & set(update_fields)):
        return
    versions.changed()


def moderation_after_migrate(sender, apps=global_apps, **kwargs):
    """Every `migrate` applies PROJECT_MODERATION, so a changed setting holds after a deploy."""
    moderation.apply_project_moderation(apps=apps)


def connect() -> None:
    post_migrate.connect(
        moderation_after_migrate,
        sender=global_apps.get_app_config("showcase"),
        dispatch_uid="showcase_moderation_after_migrate",
    )
    post_save.connect(
        enqueue_renditions, sender=get_image_model(), dispatch_uid="showcase_image_renditions"
    )
    page_published.connect(
        project_published, sender=ProjectPage, dispatch_uid="showcase_project_published"
    )
    pre_save.connect(
        remember_live_state, sender=ProjectPage, dispatch_uid="showcase_remember_live_state"
    )
    page_published.connect(
        announce_went_live, sender=ProjectPage, dispatch_uid="showcase_went_live"
    )
    for model in PAGE_MODELS:
        for name, signal in {"published": page_published, "unpublished": page_unpublished}.items():
            uid = f"showcase_version_{name}_{model.__name__}"
            signal.connect(public_content_changed, sender=model, dispatch_uid=uid)
        uid = f"showcase_version_deleted_{model.__name__}"
        post_delete.connect(paths_changed, sender=model, dispatch_uid=uid)
    post_page_move.connect(paths_changed, dispatch_uid="showcase_version_moved")
    for model, receiver in (
        (Category, public_content_changed),
        (PageViewRestriction, paths_changed),
    ):
        for name, signal in {"saved": post_save, "deleted": post_delete}.items():
            uid = f"showcase_version_{name}_{model.__name__}"
            signal.connect(receiver, sender=model, dispatch_uid=uid)
    post_save.connect(
        profile_changed, sender=get_user_model(), dispatch_uid="showcase_public_profile"
    )
