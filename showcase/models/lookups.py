"""The one project a review route acts on, loaded as those routes need it: one statement the
ORM compiles once per process (proctique.statements)."""

from proctique.statements import Select
from showcase.models.pages import ProjectPage
from showcase.models.querysets import ProjectPageQuerySet, loaded


def discoverable_one(project_id: int, user_id: int) -> ProjectPageQuerySet:
    """The queryset such a statement is built on: the discoverable project with its owner and
    state, knowing whether the user `user_id` co-makes it. The view restrictions are read in
    the same query, so the route reads no content version for them."""
    projects = ProjectPage.objects.discoverable_in_one_query().only("owner", "live")
    return projects.knowing_makers_of(user_id).filter(pk=project_id)[:1]


# Loaded by review routes: compiled once per process.
_DISCOVERABLE_ONE = Select(ProjectPage, discoverable_one, project_id=int, user_id=int)


def load_one(statement: Select, project_id: int, user, **arguments) -> ProjectPage | None:
    """Run a statement built on `discoverable_one` for a caller: None when there is no such
    project; else the project, marked as its queryset would have marked it."""
    signed_in = user is not None and user.is_authenticated
    found = statement.instances(
        # No user has the id 0: an anonymous caller co-makes nothing.
        project_id=project_id,
        user_id=user.pk if signed_in else 0,
        **arguments,
    )
    if not found:
        return None
    project = found[0]
    loaded(project, discoverable=True, makers_for=user.pk if signed_in else None)
    return project


def discoverable_project(project_id: int, user) -> ProjectPage | None:
    """The discoverable project `project_id` with its owner and state (the rest deferred),
    knowing whether a signed-in `user` co-makes it; None when there is no such project.

    The same rows as `ProjectPage.objects.discoverable().only("owner", "live")
    .knowing_makers(user)`, in one statement the ORM compiles once per process.
    """
    return load_one(_DISCOVERABLE_ONE, project_id, user)
