"""Many published projects fast: raw rows under the index instead of one Wagtail save each."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from wagtail.models import Locale, Page

from showcase.models import ProjectPage


def bulk_projects(index, owner, count: int, *, category=None, cover=None, prefix="bulk") -> None:
    """Insert `count` live ProjectPages below `index` (tree paths computed as treebeard does)."""
    index = Page.objects.get(pk=index.pk)
    content_type = ContentType.objects.get_for_model(ProjectPage)
    locale = Locale.get_default()
    now = timezone.now()
    start = index.numchild
    pages = []
    for n in range(count):
        slug = f"{prefix}-{start + n}"
        pages.append(
            Page(
                title=f"{prefix.title()} project {start + n}",
                draft_title=f"{prefix.title()} project {start + n}",
                slug=slug,
                content_type=content_type,
                path=Page._get_path(index.path, index.depth + 1, start + n + 1),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now - timezone.timedelta(minutes=count - n),
                last_published_at=now,
                live_revision=None,
                owner=owner,
                locale=locale,
                translation_key=uuid.uuid4(),
            )
        )
    Page.objects.bulk_create(pages, batch_size=1000)
    rows = [
        (
            page.pk,
            f"Tagline of {page.title}",
            "[]",
            "",
            "",
            "",
            category.pk if category else None,
            cover.pk if cover else None,
            (n % 50) / 10,
            n % 7,
            (n % 50) / 10,
        )
        for n, page in enumerate(pages)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO showcase_projectpage (page_ptr_id, tagline, description, repository_url,"
            " demo_url, website_url, category_id, cover_image_id, rating_average, review_count,"
            " rating_score) VALUES (%s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    Page.objects.filter(pk=index.pk).update(numchild=start + count)
