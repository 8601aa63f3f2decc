"""Periodic upkeep of review aggregates, and the CDN purge that follows a review change."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from django.conf import settings

from wagtail.contrib.frontend_cache.utils import purge_page_from_cache

from reviews import aggregates
from showcase.models import ProjectPage


@db_periodic_task(crontab(minute="*/15"))
def refresh_rating_scores() -> None:
    """Re-derive every project's Bayesian score from the current site-wide mean."""
    aggregates.refresh_scores()


@db_task(retries=3, retry_delay=10)
def purge_project_page(project_id: int) -> bool:
    """Purge a project's page from the frontend cache (CDN) after a review change; idempotent.

    Off the request path: a purge is an HTTP call to the CDN (tens to hundreds of ms), and
    until it lands the CDN serves the page for at most PUBLIC_CACHE_SECONDS anyway. Retries: 3,
    10 s apart (the CDN's API failing for a moment). False when no frontend cache is
    configured or the project is gone.
    """
    if not settings.WAGTAILFRONTENDCACHE:
        return False
    page = ProjectPage.objects.filter(pk=project_id).first()
    if page is None:
        return False
    purge_page_from_cache(page)
    return True
