"""A shortcut for Wagtail's per-request view-restriction check.

Wagtail checks every served page's ancestors for privacy restrictions (two queries). The site
has none unless an admin sets one, so whether any exist anywhere is cached; saving or deleting a
restriction clears the flag, and with any restriction present Wagtail's full check runs.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import PageViewRestriction

CACHE_KEY = "showcase:any-page-view-restriction:v1"


def any_restrictions() -> bool:
    return cache.get_or_set(CACHE_KEY, PageViewRestriction.objects.exists, 60 * 60)


def forget(**kwargs) -> None:
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


class CachedRestrictionCheckMixin:
    def get_view_restrictions(self):
        if not any_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def connect() -> None:
    post_save.connect(forget, sender=PageViewRestriction, dispatch_uid="showcase_pvr_save")
    post_delete.connect(forget, sender=PageViewRestriction, dispatch_uid="showcase_pvr_delete")
