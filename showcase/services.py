"""Project writes for every route that is not the Wagtail admin itself (the REST API, tasks).

Each function goes through Wagtail's own page actions (create, edit, publish, unpublish, delete)
with the same permission tester, locks and workflow as the admin's views, so a project cannot
be changed by one route in a way another route forbids:

- a lock that applies to the user (an admin's lock, or moderation in progress) refuses edits
  and publishes with `ProjectLocked`;
- with a workflow assigned, a publish by someone who may not bypass it submits the project for
  moderation (or reports the moderation already in progress) and returns its WorkflowState;
- a publish needs a complete project (`ProjectPage.publish_errors`); drafts may be incomplete;
- rule violations raise ValidationError by field; role violations raise PermissionDenied.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.html import strip_tags
from django.utils.text import slugify

from wagtail.actions.create_page import CreatePageAction
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.edit_page import EditPageAction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import WorkflowState

from proctique.exceptions import Locked
from showcase.models import Category, ProjectIndexPage, ProjectPage

EDITABLE_FIELDS = (
    "title",
    "slug",
    "tagline",
    "description",
    "cover_image",
    "repository_url",
    "demo_url",
    "website_url",
    "category",
)


class CreateProjectAction(CreatePageAction):
    """Wagtail's create-page action (permissions, revision, log entries) without an admin form:
    Wagtail 8.0's version saves through the form it is given."""

    def _save_instance(self):
        self.instance.live = False
        self.parent.add_child(instance=self.instance)


class ProjectLocked(Locked):
    """The project is locked for this user: an admin's lock, or moderation in progress."""


def projects_index() -> ProjectIndexPage:
    """The index new projects go under (the site has one)."""
    index = ProjectIndexPage.objects.order_by("path").first()
    if index is None:
        raise ProjectIndexPage.DoesNotExist("No projects index: run seed_demo or create one.")
    return index


def check_unlocked(project: ProjectPage, user) -> None:
    """Refuse a change while a lock applies to `user`, as the admin's edit view does."""
    lock = project.get_lock()
    if lock is not None and lock.for_user(user):
        raise ProjectLocked(" ".join(strip_tags(str(lock.get_message(user))).split()))


def _apply(page: ProjectPage, fields: dict, tags: Iterable[str] | None) -> None:
    for name in EDITABLE_FIELDS:
        if name in fields and (name != "slug" or fields[name]):
            setattr(page, name, fields[name])
    if tags is not None:
        page.tags.set(list(dict.fromkeys(t.strip() for t in tags if t.strip())))


def _full_clean(page: ProjectPage) -> None:
    # The tree fields are Wagtail's to set; the rest is validated as the admin form would.
    page.full_clean(exclude=["path", "depth", "numchild", "url_path", "draft_title"])


def project_create(
    *, user, fields: dict, tags: Iterable[str] | None = None, publish: bool = False
) -> tuple[ProjectPage, WorkflowState | None]:
    """Create a draft project owned by `user` under the index; optionally publish it at once.

    Returns the project and, when the publish went to moderation, its workflow state.
    """
    index = projects_index()
    page = ProjectPage(owner=user)
    page._cached_parent_obj = index  # Wagtail validates the slug against its siblings
    _apply(page, fields, tags)
    if not page.slug:
        page.slug = unique_slug(index, page.title)
    _full_clean(page)
    with transaction.atomic():
        page = CreateProjectAction(page, index, user=user).execute()
        state = project_publish(project=page, user=user) if publish else None
    return page, state


def project_update(
    *,
    project: ProjectPage,
    user,
    fields: dict,
    tags: Iterable[str] | None = None,
    publish: bool = False,
) -> tuple[ProjectPage, WorkflowState | None]:
    """Save `fields` as a new revision of the project; the live version changes on publish."""
    project = project.specific
    if not project.permissions_for_user(user).can_edit():
        raise PermissionDenied("You can only edit your own projects.")
    check_unlocked(project, user)
    draft = project.get_latest_revision_as_object()
    _apply(draft, fields, tags)
    _full_clean(draft)
    with transaction.atomic():
        draft = EditPageAction(draft, user=user).execute()
        state = project_publish(project=project, user=user) if publish else None
    return draft, state


def project_publish(*, project: ProjectPage, user) -> WorkflowState | None:
    """Publish the latest revision, or submit it for moderation where a workflow applies.

    Returns None when published, or the WorkflowState when the project awaits moderation
    (including a moderation that was already in progress).
    """
    project = ProjectPage.objects.get(pk=project.pk)
    tester = project.permissions_for_user(user)
    if not tester.owns:
        raise PermissionDenied("You can only publish your own projects.")
    state = project.current_workflow_state
    in_moderation = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    if in_moderation and not tester.manages:
        return state
    check_unlocked(project, user)
    revision = project.latest_revision or project.save_revision(user=user)
    errors = revision.as_object().publish_errors()
    if errors:
        raise ValidationError(errors)
    if tester.can_publish():
        PublishPageRevisionAction(revision, user=user).execute()
        return None
    workflow = project.get_workflow()
    if workflow is not None and tester.can_submit_for_moderation():
        return workflow.start(project, user)
    raise PermissionDenied("You do not have permission to publish this project.")


def project_unpublish(*, project: ProjectPage, user) -> None:
    """Take a live project off the site (its owner or an admin)."""
    project = project.specific
    if not project.live:
        raise ValidationError({"__all__": ["The project is not published."]})
    check_unlocked(project, user)
    UnpublishPageAction(project, user=user).execute()


def project_delete(*, project: ProjectPage, user) -> None:
    """Delete a project for good (its owner or an admin)."""
    check_unlocked(project.specific, user)
    DeletePageAction(project.specific, user=user).execute()


def unique_slug(index: ProjectIndexPage, wanted: str, *, exclude_pk: int | None = None) -> str:
    """A slug from `wanted` that no sibling uses and that fits the column (255 characters)."""
    base = (slugify(wanted) or "project")[:240].strip("-") or "project"
    taken = set(
        ProjectPage.objects.child_of(index)
        .exclude(pk=exclude_pk)
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or slug in ProjectPage.RESERVED_SLUGS:
        slug, n = f"{base}-{n}", n + 1
    return slug


def category_delete(*, category: Category, user) -> None:
    """Delete a category (holders of `showcase.delete_category`) that files no project.

    A category still holding projects is refused with the reason (a 400 in the API, a message
    in the admin), so no route leaves projects uncategorised behind the admin's back.
    """
    if not user.has_perm("showcase.delete_category"):
        raise PermissionDenied("You cannot delete categories.")
    refusal = category.delete_refusal()
    if not refusal:
        try:
            with transaction.atomic():
                category.delete()
            return
        except ProtectedError:  # a project was filed under it since the check
            refusal = category.delete_refusal()
    raise ValidationError({"__all__": [refusal]})
