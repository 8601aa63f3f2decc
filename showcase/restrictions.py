"""View restrictions (password, login, groups), read once per content version.

Every listing excludes restricted pages and every page serve checks its own and its ancestors'
restrictions (two queries). Saving or removing a restriction, and moving or deleting a page
(which moves or drops the paths restrictions apply under), bumps a version of their own with
the public one (showcase.signals), so they are kept in process memory under it: a change is
seen on the next request, in every process, and a review or a publish does not make every
process read them again.
"""

from wagtail.models import PageViewRestriction

from proctique import versions

VERSION = "view-restrictions"


def restrictions() -> tuple[PageViewRestriction, ...]:
    """Every view restriction, with its page, as of the current content version."""
    return versions.memoised(
        "showcase.restrictions",
        lambda: tuple(PageViewRestriction.objects.select_related("page")),
        version=VERSION,
    )


def restricted_paths() -> list[str]:
    """Tree paths under which pages are restricted (the restricted page included)."""
    return [restriction.page.path for restriction in restrictions()]


class MemoisedViewRestrictionsMixin:
    """Wagtail's serve-time restriction check (the page and its ancestors) from the memo."""

    def get_view_restrictions(self):
        ids = [r.pk for r in restrictions() if self.path.startswith(r.page.path)]
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else _NONE


_NONE = PageViewRestriction.objects.none()
