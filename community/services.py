"""Every write to upvotes and collections goes through these functions.

The web views and the API call them alike, so every route enforces the same rules. Errors
mean one thing everywhere (as in reviews.services):

- ValidationError (400): the content or the state is wrong (a field, a project that is not
  published, a duplicate);
- PermissionDenied (403): who you are does not allow it (not signed in, your own project,
  someone else's collection).

An upvote changes the project's `upvote_count` in the same transaction and bumps the public
content version after commit, so the voter sees the new count on the next request and cached
pages of anonymous visitors follow the bump.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef

from community.models import Collection, CollectionItem, Upvote
from proctique import versions
from showcase.models import ProjectMember, ProjectPage
from showcase.models.members import makes

NON_FIELD = "__all__"
MAX_COLLECTIONS = 100
MAX_ITEMS = 200
DUPLICATE_TITLE = "You already have a collection with this title."


def _require_user(user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Sign in first.")


def _discoverable(project) -> ProjectPage:
    found = ProjectPage.objects.discoverable().filter(pk=project.pk).first()
    if found is None:
        raise ValidationError({"project": ["Only published projects can be chosen."]})
    return found


def check_may_upvote(user, project) -> None:
    """A signed-in user who does not make the project (routes ask before anything else)."""
    _require_user(user)
    if makes(project, user):
        raise PermissionDenied("You cannot upvote a project you make.")


def viewer_state(user, project) -> tuple[bool, bool]:
    """(makes the project, upvoted it) for a signed-in `user`, in one query (the project page)."""
    if user is None or not user.is_authenticated:
        return False, False
    members = ProjectMember.objects.filter(
        project_id=OuterRef("pk"), user=user, status=ProjectMember.Status.ACTIVE
    )
    row = (
        ProjectPage.objects.filter(pk=project.pk)
        .annotate(
            co_makes=Exists(members),
            upvoted=Exists(Upvote.objects.filter(project_id=OuterRef("pk"), user=user)),
        )
        .values("co_makes", "upvoted")
        .first()
    ) or {"co_makes": False, "upvoted": False}
    return project.owner_id == user.pk or row["co_makes"], row["upvoted"]


def upvoted(user, project) -> bool:
    """Whether `user` upvoted `project`."""
    if user is None or not user.is_authenticated:
        return False
    return Upvote.objects.filter(user=user, project=project).exists()


def _recount(project_id: int) -> int:
    # Lock the row so concurrent votes on one project count in turn.
    list(ProjectPage.objects.select_for_update().filter(pk=project_id).values_list("pk"))
    count = Upvote.objects.filter(project_id=project_id).count()
    ProjectPage.objects.filter(pk=project_id).update(upvote_count=count)
    return count


def upvote_set(*, user, project, on: bool) -> tuple[bool, int]:
    """Make `user`'s upvote of a discoverable project they do not make be `on` (idempotent);
    returns (upvoted, the project's new count)."""
    check_may_upvote(user, project)
    project = _discoverable(project)
    with transaction.atomic():
        if on:
            try:
                with transaction.atomic():
                    _, changed = Upvote.objects.get_or_create(user=user, project=project)
            except IntegrityError:  # a concurrent request of the same user won the race
                changed = False
        else:
            changed = bool(Upvote.objects.filter(user=user, project=project).delete()[0])
        if changed:
            count = _recount(project.pk)
            versions.changed()
        else:
            count = ProjectPage.objects.filter(pk=project.pk).values_list(
                "upvote_count", flat=True
            )[0]
    return on, count


def upvote_toggle(*, user, project) -> bool:
    """Flip `user`'s upvote of `project`; returns True when it is now upvoted."""
    state, _ = upvote_set(user=user, project=project, on=not upvoted(user, project))
    return state


def _require_owner(collection: Collection, actor) -> None:
    _require_user(actor)
    if collection.owner_id != actor.pk:
        raise PermissionDenied("Only the collection's owner changes it.")


def _validated(collection: Collection) -> Collection:
    collection.title = (collection.title or "").strip()
    collection.description = (collection.description or "").strip()
    collection.full_clean(validate_constraints=False)
    same = Collection.objects.filter(owner_id=collection.owner_id, title=collection.title)
    if same.exclude(pk=collection.pk).exists():
        raise ValidationError({"title": [DUPLICATE_TITLE]})
    return collection


def collection_create(
    *, owner, title: str, description: str = "", is_public: bool = False
) -> Collection:
    """A new collection of `owner`'s (private unless `is_public`)."""
    _require_user(owner)
    if Collection.objects.filter(owner=owner).count() >= MAX_COLLECTIONS:
        raise ValidationError({NON_FIELD: [f"You can keep at most {MAX_COLLECTIONS} collections."]})
    collection = _validated(
        Collection(owner=owner, title=title, description=description, is_public=is_public)
    )
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError as exc:  # the same title saved by a concurrent request
        raise ValidationError({"title": [DUPLICATE_TITLE]}) from exc
    return collection


def collection_update(*, collection: Collection, actor, **fields) -> Collection:
    """Change a collection's title, description or visibility (its owner only)."""
    _require_owner(collection, actor)
    for name in ("title", "description", "is_public"):
        if name in fields:
            setattr(collection, name, fields[name])
    _validated(collection).save()
    return collection


def collection_delete(*, collection: Collection, actor) -> None:
    """Delete a collection (its owner only); the projects are untouched."""
    _require_owner(collection, actor)
    collection.delete()


def collection_add(*, collection: Collection, actor, project, note: str = "") -> CollectionItem:
    """Add a discoverable project at the end of the collection (its owner only, once)."""
    _require_owner(collection, actor)
    project = _discoverable(project)
    duplicate = ValidationError({"project": ["This project is already in the collection."]})
    if collection.items.filter(project=project).exists():
        raise duplicate
    if collection.items.count() >= MAX_ITEMS:
        raise ValidationError({NON_FIELD: [f"A collection holds at most {MAX_ITEMS} projects."]})
    item = CollectionItem(collection=collection, project=project, note=(note or "").strip())
    item.full_clean(exclude=["collection", "project", "position"], validate_constraints=False)
    try:
        with transaction.atomic():
            last = collection.items.aggregate(m=Max("position"))["m"]
            item.position = 0 if last is None else last + 1
            item.save()
            Collection.objects.filter(pk=collection.pk).update(updated_at=item.added_at)
    except IntegrityError as exc:
        raise duplicate from exc
    return item


def collection_remove(*, collection: Collection, actor, project) -> bool:
    """Take a project out of the collection (its owner only); True if it was there."""
    _require_owner(collection, actor)
    deleted, _ = collection.items.filter(project_id=project.pk).delete()
    return bool(deleted)
